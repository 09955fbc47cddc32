import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { renderTable, terminalWidth } from '../../src/io/render-table.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const widths = (text: string): number[] =>
  text
    .split('\n')
    .filter((l) => /^[┌│└]/.test(l))
    .map((l) => [...l].length);

describe('terminalWidth', () => {
  it("the terminal's columns; 0 (a pseudo-terminal without a size) falls back to COLUMNS, else no limit; not a terminal: none", () => {
    expect(terminalWidth({ stdoutIsTty: true, columns: 120, env: { COLUMNS: '80' } })).toBe(120);
    expect(terminalWidth({ stdoutIsTty: true, columns: 0, env: { COLUMNS: '80' } })).toBe(80);
    expect(terminalWidth({ stdoutIsTty: true, columns: undefined, env: { COLUMNS: ' 200 ' } })).toBe(200);
    expect(terminalWidth({ stdoutIsTty: true, columns: 0, env: { COLUMNS: 'wide' } })).toBeUndefined();
    expect(terminalWidth({ stdoutIsTty: true, columns: 0, env: { COLUMNS: '0' } })).toBeUndefined();
    expect(terminalWidth({ stdoutIsTty: true, columns: 0, env: {} })).toBeUndefined();
    expect(terminalWidth({ stdoutIsTty: false, columns: 0, env: { COLUMNS: '80' } })).toBeUndefined();
  });
});

describe('renderTable widths', () => {
  const color = new Chalk({ level: 0 });
  const rows = [['1', 'Helix Robotics, Inc.', 'headroom, rising']];

  it('a width of 0 is no limit, not a squeeze to the minimums', () => {
    const spec = { head: ['#', 'Account', 'Signals'], rows, flexible: [{ index: 1, min: 6 }], color };
    expect(renderTable({ ...spec, width: 0 })).toBe(renderTable(spec));
    expect(renderTable(spec).split('\n')[1]).toBe('│ # │ Account              │ Signals          │');
  });

  it('a second pass cuts the flexible columns down to their floor when the minimums do not fit', () => {
    const spec = {
      head: ['#', 'Account', 'Signals'],
      rows,
      color,
      width: 30,
      flexible: [
        { index: 2, min: 12, floor: 8 },
        { index: 1, min: 12, floor: 8 },
      ],
    };
    // At the minimums: 1 + 12 + 12 + 3*3 + 1 = 35 > 30; the floors take Signals to 8 and Account to 11.
    expect(renderTable(spec).split('\n').slice(1, 3)).toEqual(['│ # │ Account     │ Signals  │', '│ 1 │ Helix Robo… │ headroo… │']);
    expect(widths(renderTable(spec))).toEqual([30, 30, 30, 30]);
  });
});

describe('kam score on a terminal', () => {
  it('80 columns: the table fits (coverage goes first), with and without --shortlist; a wide terminal keeps every column', async () => {
    for (const extra of [[], ['--shortlist', '5']]) {
      const r = await kam(['score', 'fixtures/accounts.csv', ...extra], { stdoutIsTty: true, columns: 80 });
      expect(r.code).toBe(0);
      expect(widths(r.stdout)).toEqual(new Array<number>(43).fill(80));
      expect(r.stdout.split('\n')[2]).not.toContain('Cov');
    }
    const narrow = await kam(['score', 'fixtures/accounts.csv'], { stdoutIsTty: true, columns: 80 });
    expect(narrow.stdout.split('\n')[13]).toBe('│ 11 │ Cartech      │ 68.08 │ Develop  │  27 │  86 │  42 │ 100 │ 100 │ headro… │');
    // 200 columns hold the whole table: the same text as without a width limit.
    const wide = await kam(['score', 'fixtures/accounts.csv'], { stdoutIsTty: true, columns: 200 });
    expect(wide.stdout).toBe((await kam(['score', 'fixtures/accounts.csv', '--format', 'table'])).stdout);
    expect(wide.stdout.split('\n')[13]).toMatch(/^│ 11 │ Cartech +│ 68\.08 │ Develop {2}│ {2}27 │ {2}86 │ {2}42 │ 100 │ 100 │ 100% │ headroom, rising +│$/);
  });

  it('a terminal that reports 0 columns uses COLUMNS (the table of a pipe run, at that width)', async () => {
    const r = await kam(['score', 'fixtures/worked-example.csv'], { stdoutIsTty: true, columns: 0, env: { COLUMNS: '200' } });
    const piped = await kam(['score', 'fixtures/worked-example.csv', '--format', 'table']);
    expect(r.stdout).toBe(piped.stdout);
    expect(r.stdout.split('\n')[3]).toBe('│ 1 │ Birch Biotech    │ 69.17 │ Key      │  50 │  83 │  50 │ 100 │  75 │ 100% │ headroom, borderline │');
  });

  it('kam explain fits 80 columns too', async () => {
    const r = await kam(['explain', 'fixtures/accounts.csv', 'Cartech'], { stdoutIsTty: true, columns: 80 });
    expect(widths(r.stdout)).toEqual(new Array<number>(10).fill(80));
  });
});
