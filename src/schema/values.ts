/**
 * Cell value parsing: one CSV text cell -> a typed value, `missing`, or an error message.
 * One grammar per module, each call with its own state; this module gathers their public
 * names for the other layers:
 * - cell-value.ts: the `Cell` result, blank/control/invisible checks, spreadsheet errors, ids
 * - currency-text.ts: currency codes, symbols, names and families
 * - number-scan.ts / number-grammar.ts: money, numbers, percents
 * - rating-grammar.ts: ratings and yes/no cells
 * - date-grammar.ts: dates and --date-format
 * - decimal-inference.ts: the export's decimal separator
 */
export { checkId, countInvisible, hasControlChars, idProblem, isBlank, spreadsheetError, stripIdPrefix, type Cell, type Decimal } from './cell-value.ts';
export { currencyFamily, currencyOfText } from './currency-text.ts';
export { isNumberCell, parseMoney, parseMoneyCell, parseNumber, parsePercent, resolvePercentColumn, type Money } from './number-grammar.ts';
export { DEFAULT_RATING_WORDS, parseBoolean, parseRating } from './rating-grammar.ts';
export { formatDate, parseDate, parseDateFormat, type DateFormat } from './date-grammar.ts';
export { DecimalScan, inferDecimal } from './decimal-inference.ts';
