#!/usr/bin/env node
// Deterministic synthetic CRM account exports for benchmarks and tests.
//
//   node test/bench/gen-accounts.mjs --rows 200000 [--seed 42] > accounts.csv
//
// Same columns as fixtures/accounts.csv. The same (rows, seed) always gives the same bytes.
// Realism knobs (approximate shares): ~5% of names contain a comma (so they are quoted),
// ~10% of money cells are written "$1,234.50" (quoted; '.' decimals, so the file stays
// decimal-unambiguous), ~30% of the other money cells carry two decimals, ~2% of the
// cells are blank (never account_id; account_name, which kam requires, ~0.1%, so a handful
// of rows are rejected). Ids are unique: ACC-0000001, ACC-0000002, ...
import { fileURLToPath } from 'node:url';

/** The header row, the columns of fixtures/accounts.csv. */
export const COLUMNS = Object.freeze([
  'account_id',
  'account_name',
  'industry',
  'country',
  'employees',
  'currency',
  'company_revenue',
  'revenue',
  'potential_revenue',
  'pipeline',
  'growth_rate',
  'gross_margin',
  'retention_rate',
  'churn_risk',
  'product_fit',
  'strategic_value',
  'account_owner',
]);

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1); good enough for test data. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_HEAD = [
  'Nordhavn',
  'Brightline',
  'Snow',
  'Cobalt',
  'Ridgeway',
  'Pacifica',
  'Meridian',
  'Coastal',
  'Atlas',
  'Pinnacle',
  'Bluewater',
  'Granite',
  'Lumen',
  'Prairie',
  'Verdant',
  'Delmar',
  'Helix',
  'Metro',
  'Quantis',
  'Keystone',
  'Tri-County',
  'Tokai',
  'Ferro',
  'Norland',
  'Hanseatic',
  'Bergmann & Söhne',
  'Vantage',
  'Stratton',
  'Solaris',
  'Summit',
  'Kestrel',
  'Greenfield',
  'Nimbus',
  'Ironclad',
  'Sable',
  'Aurora',
  'Orion',
  'Zephyr',
  'Crescent',
  'Harbor',
  'Juniper',
  'Northwind',
  'Redwood',
  'Silverline',
  'Tidewater',
  'Westbrook',
  'Alder',
  'Beacon',
  'Cedar',
  'Driftwood',
  'Ember',
  'Falcon',
  'Glacier',
];
const NAME_TAIL = [
  'Wind',
  'Signage',
  'Industries',
  'Battery Systems',
  'Agritech',
  'Drone Works',
  'Medical Systems',
  'Pumps & Valves',
  'Smart Buildings',
  'Appliances',
  'Instruments',
  'Industrial Supply',
  'Grid Technologies',
  'Tool & Die',
  'Mobility',
  'Contract Manufacturing',
  'Robotics',
  'Parking Systems',
  'Photonics',
  'HVAC Controls',
  'Elevator',
  'Precision',
  'Dynamics',
  'Print Solutions',
  'Marine Electronics',
  'Kiosk Systems',
  'Power & Light',
  'Inverters',
  'Lighting Group',
  'Aerospace',
  'Irrigation',
  'Edge Computing',
  'Forklift',
  'Telecom',
  'Rail',
  'Quantum Labs',
  'Logistics',
  'Analytics',
  'Foods',
  'Chemicals',
  'Textiles',
  'Software',
];
const PLAIN_SUFFIX = ['', '', '', '', 'Corp.', 'Group', 'GmbH', 'AG', 'S.p.A.', 'Oy', 'A/S', 'Ltd', 'BV', 'SA'];
const COMMA_SUFFIX = [', Inc.', ', LLC', ', Ltd.', ', Co., Ltd.', ', S.A.', ', L.P.'];
const INDUSTRIES = [
  'Energy',
  'Retail Technology',
  'Industrial Equipment',
  'Energy Storage',
  'Agriculture',
  'Aerospace & Defense',
  'Consumer Electronics',
  'Medical Devices',
  'Building Automation',
  'Test & Measurement',
  'Automotive',
  'Industrial Distribution',
  'Electronics Manufacturing Services',
  'Robotics',
  'Smart City',
  'Semiconductors',
  'Industrial Automation',
  'Printing',
  'Marine',
  'Utilities',
  'Lighting',
  'Cloud Infrastructure',
  'Material Handling',
  'Telecommunications',
  'Rail',
];
const COUNTRIES = [
  'United States',
  'United States',
  'United States',
  'Germany',
  'United Kingdom',
  'Canada',
  'Japan',
  'Netherlands',
  'Denmark',
  'Taiwan',
  'Mexico',
  'Italy',
  'Sweden',
  'Switzerland',
  'Ireland',
  'Australia',
  'Finland',
  'France',
  'Spain',
  'Brazil',
  'India',
  'Singapore',
];
const OWNERS = [
  'Priya Nair',
  'James Carter',
  'Maria Lopez',
  'Tomasz Kowalski',
  'Aiko Tanaka',
  'Lena Fischer',
  'Omar Haddad',
  'Sofia Rossi',
  'Daniel Kim',
  'Grace Okafor',
];

const ROWS_PER_CHUNK = 2000;

// Thousands grouping without Intl, so the bytes do not depend on the ICU build.
function group(n) {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * Yields the CSV text of a synthetic export of `rows` accounts (header first, then chunks of
 * about 2,000 rows, LF line endings); the same (rows, seed) always yields the same text.
 */
export function* generateAccounts(rows, seed = 42) {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  const rnd = mulberry32(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  // Log-uniform: account sizes span orders of magnitude, like real portfolios.
  const logInt = (lo, hi) => Math.round(Math.exp(Math.log(lo) + rnd() * (Math.log(hi) - Math.log(lo))));
  const blank = () => rnd() < 0.02;

  const money = (value) => {
    const r = rnd();
    if (r < 0.1) {
      const cents = int(0, 99);
      return `"$${group(value)}.${cents < 10 ? '0' : ''}${cents}"`;
    }
    if (r < 0.4) return `${value}.${String(int(0, 99)).padStart(2, '0')}`;
    return String(value);
  };
  const percent = (lo, hi) => {
    const v = int(lo * 10, hi * 10) / 10;
    return `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
  };
  const cell = (text) => (blank() ? '' : text);

  yield `${COLUMNS.join(',')}\n`;
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    let name = `${pick(NAME_HEAD)} ${pick(NAME_TAIL)}`;
    const suffixRoll = rnd();
    if (suffixRoll < 0.05) name = `"${name}${pick(COMMA_SUFFIX)}"`;
    else {
      const suffix = pick(PLAIN_SUFFIX);
      if (suffix !== '') name = `${name} ${suffix}`;
    }
    const employees = logInt(20, 50000);
    const companyRevenue = employees * int(80, 600) * 1000;
    const revenue = logInt(20000, 8000000);
    const potential = Math.round(revenue * (1 + rnd() * 3));
    const pipeline = rnd() < 0.05 ? 0 : Math.round(potential * rnd() * 0.4);
    // Retention and churn are alternatives; most exports carry retention only.
    const churnOnly = rnd() < 0.1;
    const retention = churnOnly ? '' : cell(percent(55, 99));
    const churn = churnOnly ? cell(percent(1, 40)) : '';
    const fit = rnd() < 0.15 ? `${int(1, 4)}.5` : String(int(1, 5));

    chunk += [
      `ACC-${String(i).padStart(7, '0')}`,
      // account_name is required: blank far more rarely, so only a handful of rows are rejected.
      rnd() < 0.001 ? '' : name,
      cell(pick(INDUSTRIES)),
      cell(pick(COUNTRIES)),
      cell(String(employees)),
      cell('USD'),
      cell(money(companyRevenue)),
      cell(money(revenue)),
      cell(money(potential)),
      cell(money(pipeline)),
      cell(percent(-20, 50)),
      cell(percent(5, 45)),
      retention,
      churn,
      cell(fit),
      cell(String(int(1, 5))),
      cell(pick(OWNERS)),
    ].join(',');
    chunk += '\n';
    if (i % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** Writes the export to a writable stream, respecting back-pressure. */
export async function writeAccounts(stream, rows, seed = 42) {
  for (const text of generateAccounts(rows, seed)) {
    if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

function parseArgs(argv) {
  const opts = { rows: 10000, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--rows' || arg === '--seed') {
      const n = Number(value);
      if (value === undefined || !Number.isSafeInteger(n) || n < 0) throw new Error(`${arg} needs a non-negative integer`);
      opts[arg.slice(2)] = n;
      i++;
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write('usage: node test/bench/gen-accounts.mjs [--rows N] [--seed S] > accounts.csv\n');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return opts;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { rows, seed } = parseArgs(process.argv.slice(2));
    process.stdout.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
    await writeAccounts(process.stdout, rows, seed);
  } catch (error) {
    process.stderr.write(`gen-accounts: ${error.message}\n`);
    process.exitCode = 2;
  }
}
