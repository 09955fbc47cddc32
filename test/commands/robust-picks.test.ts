import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[]) {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

// kam robust fixtures/accounts.csv --shortlist 10 (fixtures/expected/robust-accounts.csv): of the ten
// shortlisted, eight are on the shortlist in at least 90% of the 10,000 weightings; Lumen Grid
// Technologies (0.805) and Solaris Inverters AG (0.671) are not.
const ARGS = ['report', 'fixtures/accounts.csv', '--shortlist', '10', '--as-of', '2026-11-27'];

describe('report --robust marks the robust picks on the matrix', () => {
  it('Markdown: a star after each robust pick in the matrix, and what it means', async () => {
    const r = await kam([...ARGS, '--robust', '--format', 'md']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('| **attractiveness ≥ 50**'))).toBe(
      '| **attractiveness ≥ 50** | **Develop** 9 | **Key** 10: Helix Robotics, Inc. ★, Kestrel Aerospace & Defense ★, Nordhavn Wind A/S ★, Tokai Precision Co., Ltd. ★, Meridian Medical Systems ★, Aurora Telecom Oy ★, Cobalt Battery Systems ★, Bergmann & Söhne GmbH ★, Lumen Grid Technologies, Solaris Inverters AG |',
    );
    expect(lines.filter((l) => l.startsWith('★'))).toEqual([
      '★ Robust picks (8): on the shortlist in at least 90% of 10,000 weightings around the configured weights (kam robust has the detail).',
    ]);
  });

  it('HTML/SVG: a second ring around each robust pick, its acceptability in the tooltip, a legend entry', async () => {
    const r = await kam([...ARGS, '--robust', '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/<circle class="robust" /g)?.length).toBe(8);
    expect(r.stdout).toContain(
      '<li><span class="dot ring robust"></span><strong>Robust picks</strong> (8)<small>double ring: on the shortlist in at least 90% of 10,000 weightings around the configured weights (kam robust has the detail)</small></li>',
    );
    expect(r.stdout.match(/<title>Lumen Grid Technologies: [^<]*<\/title>/)?.[0]).toBe(
      '<title>Lumen Grid Technologies: score 68.49, Key (rank 9; current 56.27, attractiveness 78.49; on the shortlist in 80.5% of weightings)</title>',
    );
    expect(r.stdout).toMatch(/<title>Bergmann &amp; Söhne GmbH: [^<]*; on the shortlist in 91\.2% of weightings: a robust pick\)<\/title>/);
  });

  it('without --robust the report is as before: no ring, no star', async () => {
    const html = await kam([...ARGS, '--format', 'html']);
    const md = await kam([...ARGS, '--format', 'md']);
    expect([html.stdout.includes('class="robust"'), html.stdout.includes('Robust picks'), md.stdout.includes('★')]).toEqual([false, false, false]);
  });
});
