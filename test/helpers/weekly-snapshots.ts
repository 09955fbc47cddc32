import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli.ts';
import { fakeIo } from './fake-io.ts';

/**
 * The fixture script of kam history's test (issue 15): eight weekly raw exports of seven
 * fictional accounts, each scored the way a cron job would (`kam score --as-of DAY
 * --shortlist 2 -o snapshots/accounts-DAY.csv`). From week 5 the team weighs volume
 * twice (`--weights volume=0.4`): a model change that kam_model records.
 *
 * - H-1 Anchor Industrial: the biggest and best account every week.
 * - H-2 Booster Bio: revenue 100k -> 2.2M, climbing fastest after week 4.
 * - H-3 Cooling Chemicals: revenue 1.8M -> 200k.
 * - H-4 Delta Dairy, H-5 Echo Electric: steady.
 * - H-6 Fresh Foods: new in week 3.
 * - H-7 Gone Glass: last seen in week 6.
 */
export const WEEKS = ['2026-10-02', '2026-10-09', '2026-10-16', '2026-10-23', '2026-10-30', '2026-11-06', '2026-11-13', '2026-11-20'] as const;

/** From this week (1-based) on, the snapshots are scored with NEW_WEIGHTS. */
const WEIGHT_CHANGE_WEEK = 5;
const NEW_WEIGHTS = 'volume=0.4';

const HEADER = 'account_id,account_name,revenue,potential_revenue,gross_margin,retention_rate,product_fit,strategic_value';

/** Each account's row in week w (0-based), or undefined when it is not in that export. */
const ACCOUNTS: readonly ((w: number) => string | undefined)[] = [
  () => 'H-1,Anchor Industrial,2000000,3000000,35%,95%,5,5',
  (w) => `H-2,Booster Bio,${[100, 120, 140, 160, 180, 900, 1500, 2200][w]! * 1000},3000000,30%,90%,4,5`,
  (w) => `H-3,Cooling Chemicals,${[1800, 1700, 1500, 1200, 900, 600, 350, 200][w]! * 1000},2000000,30%,90%,4,4`,
  () => 'H-4,Delta Dairy,1200000,1500000,25%,88%,3,3',
  () => 'H-5,Echo Electric,600000,800000,20%,85%,3,2',
  (w) => (w >= 2 ? 'H-6,Fresh Foods,500000,2000000,25%,80%,4,4' : undefined),
  (w) => (w <= 5 ? 'H-7,Gone Glass,300000,400000,15%,75%,2,2' : undefined),
];

/** Write the eight exports and their snapshots under `dir`; the snapshot paths, oldest first. */
export async function writeWeeklySnapshots(dir: string): Promise<string[]> {
  mkdirSync(join(dir, 'exports'), { recursive: true });
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  const out: string[] = [];
  for (const [w, day] of WEEKS.entries()) {
    const rows = ACCOUNTS.map((row) => row(w)).filter((r): r is string => r !== undefined);
    const exportFile = join(dir, 'exports', `crm-week-${w + 1}.csv`);
    writeFileSync(exportFile, [HEADER, ...rows].join('\n') + '\n');
    const snapshot = join(dir, 'snapshots', `accounts-${day}.csv`);
    const weights = w + 1 >= WEIGHT_CHANGE_WEEK ? ['--weights', NEW_WEIGHTS] : [];
    const f = fakeIo({ cwd: dir });
    const code = await main(['score', exportFile, '--as-of', day, '--shortlist', '2', '-o', snapshot, ...weights], f.io);
    if (code !== 0) throw new Error(`kam score week ${w + 1} exited ${code}: ${f.stderr()}`);
    out.push(snapshot);
  }
  return out;
}
