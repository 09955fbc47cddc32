/** The byte values the CSV readers and writer look for (ASCII, so the same in UTF-8 and Latin-1). */
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
