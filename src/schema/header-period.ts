/** The period a header's words name: the last 12 months (LTM, a year) or a lifetime total. */

/** Phrases that name a 12-month window. */
export const TWELVE_MONTHS: readonly string[] = [
  ' ltm ',
  ' ttm ',
  ' l12m ',
  ' 12m ',
  ' 12 m ',
  ' r12 ',
  ' 12 months ',
  ' 12 month ',
  ' twelve months ',
  ' 12 monate ',
  ' 12 monaten ',
  ' 12 mois ',
  ' 12 derniers mois ',
  ' derniers 12 mois ',
  ' 12 letzten monate ',
  ' 12 ultimi mesi ',
  ' 12 meses ',
  ' 12 mesi ',
  ' 12 maanden ',
  ' last year ',
  ' prior year ',
  ' previous year ',
  ' letztes jahr ',
  ' vorjahr ',
  ' annee derniere ',
  ' derniere annee ',
  ' ano pasado ',
  ' ultimo ano ',
  ' ano passado ',
  ' anno scorso ',
  ' vorig jaar ',
  ' afgelopen jaar ',
];
/** Phrases that name a lifetime total. */
export const LIFETIME: readonly string[] = [
  ' total ',
  ' totals ',
  ' lifetime ',
  ' life time ',
  ' all time ',
  ' alltime ',
  ' cumulative ',
  ' cumulated ',
  ' gesamt ',
  ' insgesamt ',
  ' cumul ',
  ' cumule ',
  ' acumulado ',
  ' acumulada ',
  ' totale ',
  ' totaal ',
  ' to date ',
  ' historic ',
  ' historical ',
];
const YEAR = / (?:(?:19|20)\d\d|fy ?\d\d(?:\d\d)?|cy ?\d\d(?:\d\d)?|gj ?\d\d(?:\d\d)?|ej ?\d\d(?:\d\d)?) /;

/** The period a header's words name: a 12-month window (LTM, a year) beats a lifetime total. */
export function periodOf(text: string): '12m' | 'lifetime' | undefined {
  if (TWELVE_MONTHS.some((p) => text.includes(p)) || YEAR.test(text)) return '12m';
  if (LIFETIME.some((p) => text.includes(p))) return 'lifetime';
  return undefined;
}
