#!/usr/bin/env node
// The peer of `npm run bench`: DuckDB doing kam's default job on a file of the bench generator
// (gen-accounts.mjs) as one SQL COPY, so the bench can say how kam compares with a columnar
// SQL engine on the same file in the same run.
//
//   node test/bench/duckdb-job.mjs INPUT [OUTPUT=/dev/stdout]     (DUCKDB_THREADS=N to limit it)
//
// Source: the job of the peer script shared/peers/duckdb-kam-job.cjs that issue 13 measured
// (7.2 s at 1M rows on these two cores), rewritten here as an ES module so the bench does not
// depend on a folder outside the repository; the SQL computes the same thing, step by step:
// all 17 columns read as text; money with `$` and `,` stripped, percents with `%` divided by
// 100, ratings, employees; five midrank percentiles (revenue, headroom, pipeline, growth, CLV),
// ratings 1..5 onto 0..100, weighted means renormalised over the present values, coverage,
// tier, rank (rated first, score descending, account_id), the headroom and assumed_retention
// signals; 17 original columns and 13 kam_ columns written as CSV in rank order. It does not do
// what kam adds around the job (dialect sniffing, the formula guard, line-numbered messages).
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS } from './gen-accounts.mjs';

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const amount = (col) => `TRY_CAST(nullif(replace(replace(${col}, '$', ''), ',', ''), '') AS DOUBLE)`;
const fraction = (col) =>
  `(CASE WHEN ${col} LIKE '%\\%' ESCAPE '\\' THEN TRY_CAST(rtrim(${col}, '%') AS DOUBLE) / 100 ELSE TRY_CAST(nullif(${col}, '') AS DOUBLE) END)`;
/** Midrank percentile among the present values: 100 * (below + equal / 2) / present. */
const midrank = (x) =>
  `(CASE WHEN ${x} IS NULL THEN NULL ELSE 50 * ((rank() OVER (ORDER BY ${x} NULLS LAST) - 1) + cume_dist() OVER (ORDER BY ${x} NULLS LAST) * count(*) OVER ()) / (count(${x}) OVER ()) END)`;
/** Weighted mean over the present parts, weights renormalised over them. */
const weightedMean = (parts) =>
  `((${parts.map(([x, w]) => `coalesce(${w} * ${x}, 0)`).join(' + ')}) / nullif(${parts.map(([x, w]) => `(CASE WHEN ${x} IS NULL THEN 0 ELSE ${w} END)`).join(' + ')}, 0))`;
const presentWeight = (x, w) => `(CASE WHEN ${x} IS NULL THEN 0 ELSE ${w} END)`;
const two = (x) => `printf('%.2f', ${x})`;

/** The input's columns, written back first, as the generator writes them. */
const ORIGINAL = COLUMNS;

/** The COPY statement: INPUT (a gen-accounts.mjs file) to OUTPUT as the enriched CSV. */
export function duckdbJobSql(input, output) {
  return `
COPY (
  WITH parsed AS (
    SELECT *,
      ${amount('revenue')} AS x_rev, ${amount('potential_revenue')} AS x_pot, ${amount('pipeline')} AS x_pipe,
      ${fraction('growth_rate')} AS x_growth, ${fraction('gross_margin')} AS x_margin,
      ${fraction('retention_rate')} AS x_ret, ${fraction('churn_risk')} AS x_churn,
      TRY_CAST(nullif(product_fit, '') AS DOUBLE) AS x_fit, TRY_CAST(nullif(strategic_value, '') AS DOUBLE) AS x_strategic,
      ${amount('company_revenue')} AS x_company, TRY_CAST(nullif(employees, '') AS BIGINT) AS x_employees
    FROM read_csv(${quote(input)}, header = true, all_varchar = true)
  ), valid AS (
    SELECT *, coalesce(x_ret, 1 - x_churn) AS x_retention,
      (CASE WHEN x_pot IS NULL THEN NULL ELSE greatest(x_pot - coalesce(x_rev, 0), 0) END) AS x_headroom
    FROM parsed WHERE coalesce(account_name, '') <> ''
  ), lifetime AS (
    SELECT *, (CASE WHEN x_rev IS NULL OR x_margin IS NULL OR 1.1 - coalesce(x_retention, 0.85) <= 0 THEN NULL
      ELSE x_rev * x_margin * coalesce(x_retention, 0.85) / (1.1 - coalesce(x_retention, 0.85)) END) AS x_clv
    FROM valid
  ), measures AS (
    SELECT *, ${midrank('x_rev')} AS p_rev, ${midrank('x_headroom')} AS p_headroom, ${midrank('x_pipe')} AS p_pipe,
      ${midrank('x_growth')} AS p_growth, ${midrank('x_clv')} AS p_clv,
      100 * (x_fit - 1) / 4 AS p_fit, 100 * (x_strategic - 1) / 4 AS p_strategic
    FROM lifetime
  ), criteria AS (
    SELECT *, p_rev AS c_volume, ${weightedMean([
      ['p_headroom', 0.6],
      ['p_pipe', 0.2],
      ['p_growth', 0.2],
    ])} AS c_potential,
      p_clv AS c_ltv, p_fit AS c_fit, p_strategic AS c_strategic
    FROM measures
  ), scored AS (
    SELECT *,
      ${weightedMean([
        ['c_volume', 0.2],
        ['c_potential', 0.2],
        ['c_ltv', 0.25],
        ['c_fit', 0.15],
        ['c_strategic', 0.2],
      ])} AS s_score,
      ${weightedMean([
        ['c_volume', 0.2],
        ['c_ltv', 0.25],
      ])} AS s_current,
      ${weightedMean([
        ['c_potential', 0.2],
        ['c_fit', 0.15],
        ['c_strategic', 0.2],
      ])} AS s_attractiveness,
      (${[
        ['c_volume', 0.2],
        ['c_potential', 0.2],
        ['c_ltv', 0.25],
        ['c_fit', 0.15],
        ['c_strategic', 0.2],
      ]
        .map(([x, w]) => presentWeight(x, w))
        .join(' + ')}) AS s_coverage
    FROM criteria
  ), tiered AS (
    SELECT *, (CASE WHEN s_score IS NULL OR s_current IS NULL OR s_attractiveness IS NULL OR s_coverage < 0.6 THEN 'Unrated'
      WHEN s_attractiveness >= 50 THEN (CASE WHEN s_current >= 50 THEN 'Key' ELSE 'Develop' END)
      ELSE (CASE WHEN s_current >= 50 THEN 'Maintain' ELSE 'Monitor' END) END) AS s_tier
    FROM scored
  ), ranked AS (
    SELECT *, row_number() OVER (ORDER BY (s_tier = 'Unrated'), s_score DESC NULLS LAST, account_id) AS s_rank FROM tiered
  )
  SELECT ${ORIGINAL.join(', ')},
    s_rank AS kam_rank, ${two('s_score')} AS kam_score, s_tier AS kam_tier, ${two('c_volume')} AS kam_volume,
    ${two('c_potential')} AS kam_potential, ${two('c_ltv')} AS kam_ltv, ${two('c_fit')} AS kam_fit,
    ${two('c_strategic')} AS kam_strategic, ${two('s_current')} AS kam_current,
    ${two('s_attractiveness')} AS kam_attractiveness, ${two('s_coverage')} AS kam_coverage,
    nullif(concat_ws(';', CASE WHEN x_pot >= 3 * x_rev THEN 'headroom' END,
      CASE WHEN x_ret IS NULL AND x_churn IS NULL THEN 'assumed_retention' END), '') AS kam_signals,
    NULL AS kam_errors
  FROM ranked ORDER BY s_rank
) TO ${quote(output)} (FORMAT csv, HEADER true)`;
}

/** Runs the job; `threads` limits DuckDB's worker threads (default: DuckDB's own, one per core). */
export async function runDuckdbJob(input, output, threads) {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  if (threads !== undefined) await connection.run(`SET threads = ${Number(threads)}`);
  await connection.run(duckdbJobSql(input, output));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output = '/dev/stdout'] = process.argv.slice(2);
  if (input === undefined) {
    process.stderr.write('usage: node test/bench/duckdb-job.mjs INPUT [OUTPUT=/dev/stdout]\n');
    process.exitCode = 2;
  } else {
    await runDuckdbJob(input, output, process.env.DUCKDB_THREADS).catch((error) => {
      process.stderr.write(`duckdb-job: ${error.message}\n`);
      process.exitCode = 1;
    });
  }
}
