// The workbook part of `npm run bench` (`--only xlsx`): the 100k-row export of gen-accounts.mjs
// as a CSV and as the .xlsx Excel would save of it (shared strings; money, percent and
// integer cells typed with their number formats: fixtures/xlsx/make-xlsx.mjs writes it),
// each read by readTable in a child process (read only: the target is about reading),
// then `kam score --format csv` end to end on both. Targets (issue 16): the workbook read
// within 3x the CSV's wall time and 2x its peak RSS.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { workbook } from '../../fixtures/xlsx/make-xlsx.mjs';

export const XLSX_TARGETS = { readTime: 3, readRss: 2 };

/** The workbook of a CSV export: numbers, money and percents typed as Excel stores them. */
export function workbookOf(csvFile, xlsxFile) {
  const rows = parse(readFileSync(csvFile), { relax_column_count: true });
  const cell = (v) => {
    if (v === '') return undefined;
    if (/^-?\d+(\.\d+)?$/.test(v)) return { n: Number(v) };
    if (/^-?\d+(\.\d+)?%$/.test(v)) return { n: Number(v.slice(0, -1)) / 100, s: 'pct' };
    if (/^\$[\d,]+(\.\d+)?$/.test(v)) return { n: Number(v.slice(1).replace(/,/g, '')), s: 'usd' };
    return v;
  };
  const sheetRows = rows.map((r, i) => (i === 0 ? r : r.map((v, j) => (j === 0 ? v : cell(v)))));
  writeFileSync(xlsxFile, workbook({ styles: { pct: '0.0%', usd: '"$"#,##0.00' }, sheets: [{ name: 'Accounts', rows: sheetRows }] }));
  return statSync(xlsxFile).size;
}

const readScript = (root) =>
  [
    `import { readTable } from ${JSON.stringify(pathToFileURL(join(root, 'dist/io/read-table.js')).href)};`,
    'const t = await readTable(process.argv[1]);',
    'process.stdout.write(`${t.records.length}\\n`);',
  ].join('\n');

/** Runs the part; `ctx` is bench.mjs's measuring kit. */
export async function benchXlsx({ measure, generate, tmp, log, target, table, fmt, fmtInt, summarise, runsFor, opts, results, root, kam, MB }) {
  const rows = 100000;
  const csvFile = join(tmp, `accounts-${rows}.csv`);
  const csvBytes = await generate(csvFile, rows, opts.seed);
  const xlsxFile = join(tmp, `accounts-${rows}.xlsx`);
  const xlsxBytes = workbookOf(csvFile, xlsxFile);
  const runs = runsFor(rows, opts);
  log(`\nWorkbook: ${fmtInt(rows)} rows as CSV (${fmt(csvBytes / MB, 1)} MB) and as .xlsx (${fmt(xlsxBytes / MB, 1)} MB), ${runs} runs each, interleaved`);
  const script = readScript(root);
  const cmds = [
    ['read CSV (readTable)', ['--input-type=module', '-e', script, csvFile]],
    ['read .xlsx (readTable)', ['--input-type=module', '-e', script, xlsxFile]],
    ['kam score CSV --format csv', [kam, 'score', csvFile, '--format', 'csv']],
    ['kam score .xlsx --format csv', [kam, 'score', xlsxFile, '--format', 'csv']],
  ];
  const samples = cmds.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const [i, [label, args]] of cmds.entries()) {
      const capture = i < 2;
      const s = await measure(label, args, { captureStdout: capture }, tmp);
      if (capture && Number(s.stdout.trim()) !== rows) throw new Error(`${label} read ${s.stdout.trim()} records, expected ${rows}`);
      samples[i].push(s);
    }
  }
  const sums = samples.map(summarise);
  results.xlsx = { rows, csvBytes, xlsxBytes, runs, commands: Object.fromEntries(cmds.map(([label], i) => [label, sums[i]])) };
  log(
    table(
      ['command', 'median wall s', 'median cpu s', 'peak RSS MB'],
      cmds.map(([label], i) => [label, fmt(sums[i].wall, 3), fmt(sums[i].cpu, 2), fmt(sums[i].rssMB, 0)]),
    ),
  );
  const timeRatio = sums[1].wall / sums[0].wall;
  const rssRatio = sums[1].rssMB / sums[0].rssMB;
  log(`workbook / CSV: read wall ${fmt(timeRatio, 2)}x, read peak RSS ${fmt(rssRatio, 2)}x; kam score wall ${fmt(sums[3].wall / sums[2].wall, 2)}x`);
  target('100k rows: .xlsx read wall / CSV read wall', timeRatio, XLSX_TARGETS.readTime, 'x');
  target('100k rows: .xlsx read peak RSS / CSV read peak RSS', rssRatio, XLSX_TARGETS.readRss, 'x');
}
