/** Expected enriched-CSV text for the reliability tests (three input columns, revenue only). */

export const KAM =
  'kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model';
/** kam_model of the default model (SCORING.md §4): the last cell of every row kam score writes without a config. */
export const MODEL = 'v2-bf8886e8';
/** The header of `account_id,account_name,revenue` enriched. */
export const H3 = `account_id,account_name,revenue,${KAM}`;
/** kam's cells for an account ranked `rank` whose only measure is revenue, at percentile `vol`. */
export const revOnly = (rank: number, vol: string): string => `${rank},${vol},Unrated,${vol},,,,,${vol},,0.20,low_coverage,,${MODEL}`;
/** kam's cells of a rejected row. */
export const invalid = (why: string): string => `,,,Invalid,,,,,,,,,,${why},${MODEL}`;
/** Lines, each ending in LF. */
export const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
/** The stderr line kam score ends with when rows were rejected. */
export const SUMMARY = (n: number, of: number): string => `kam: ${n} of ${of} row(s) rejected (kept as tier Invalid with the reason in kam_errors)`;

/**
 * An RFC 4180 expectation (no quoted cells) in another dialect: the enriched CSV keeps the
 * input's delimiter, line ending and BOM (issue 10 item 2).
 */
export const inDialect = (text: string, d: { delimiter?: string; eol?: string; bom?: boolean; decimal?: ',' }): string => {
  const cells = text.replaceAll(',', d.delimiter ?? ',');
  return (d.bom ? '\uFEFF' : '') + (d.decimal ? cells.replaceAll('.', d.decimal) : cells).replaceAll('\n', d.eol ?? '\n');
};
/** The stderr line of a file whose only criterion input is revenue (the criteria it cannot feed are named). */
export const REV_ONLY = 'kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone';
