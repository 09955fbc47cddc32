import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

/** The help text is part of the interface: every command's --help is a reviewed golden. */
describe('--help', () => {
  for (const cmd of [
    [],
    ['score'],
    ['explain'],
    ['validate'],
    ['columns'],
    ['diff'],
    ['backtest'],
    ['history'],
    ['goals'],
    ['robust'],
    ['report'],
    ['init'],
    ['config', 'schema'],
  ]) {
    const name = cmd.length ? cmd.join('-') : 'kam';
    it(`kam ${cmd.join(' ')} --help: usage, options and examples, exit 0`, async () => {
      const f = fakeIo();
      const code = await main([...cmd, '--help'], f.io);
      expect(code).toBe(0);
      expect(f.stderr()).toBe('');
      expect(f.stdout()).toMatch(/^Usage: kam/);
      expect(f.stdout()).toContain('Examples:');
      await expect(f.stdout()).toMatchFileSnapshot(`../../fixtures/expected/help-${name}.txt`);
    });
  }

  it('no arguments: help on stderr, exit 2', async () => {
    const f = fakeIo();
    expect(await main([], f.io)).toBe(2);
    expect(f.stdout()).toBe('');
    expect(f.stderr()).toMatch(/^Usage: kam \[options\] \[command\]/);
  });

  it('an unknown option is a usage error: message and hint on stderr, exit 2', async () => {
    const f = fakeIo();
    expect(await main(['score', 'fixtures/accounts.csv', '--frobnicate'], f.io)).toBe(2);
    expect(f.stderr()).toBe("kam: unknown option '--frobnicate'\n(run with --help for usage)\n");
  });

  it('R48: --top -3 is a usage error, exit 2', async () => {
    const f = fakeIo();
    expect(await main(['score', 'fixtures/accounts.csv', '--top', '-3'], f.io)).toBe(2);
    expect(f.stderr()).toBe("kam: option '--top <n>' argument '-3' is invalid. --top takes a whole number >= 1.\n(run with --help for usage)\n");
  });
});
