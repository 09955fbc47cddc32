import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, KamError, type ExitCode as ExitCodeT } from './errors.ts';
import type { Io } from './io/console.ts';
import { escapeTerminal } from './io/terminal-text.ts';
import { registerBacktest } from './commands/backtest.ts';
import { registerColumns } from './commands/columns.ts';
import { registerConfig, registerInit } from './commands/config.ts';
import { registerDiff } from './commands/diff.ts';
import { registerExplain } from './commands/explain.ts';
import { registerGoals } from './commands/goals.ts';
import { registerHistory } from './commands/history.ts';
import { registerReport } from './commands/report.ts';
import { registerRobust } from './commands/robust.ts';
import { registerScore } from './commands/score.ts';
import { registerValidate } from './commands/validate.ts';

export { nodeIo } from './io/console.ts';
export { removeTempFiles } from './io/output-file.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam score accounts.csv               rank accounts, explained (table on a terminal, CSV when piped)
  $ kam validate accounts.csv            check every row; exit 1 when any row is invalid
  $ kam columns accounts.csv             how each column maps onto kam's fields
  $ kam explain accounts.csv Cartech     the identification checklist for one account
  $ kam init                             write a starter kam.config.json

Exit codes: 0 success, 1 the input has problems to fix, 2 usage, config or I/O failure.
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Usage errors begin `kam:` as every other message does, not commander's `error:`. */
function kamUsageError(message: string, write: (s: string) => void): void {
  write(message.startsWith('error: ') ? `kam: ${message.slice('error: '.length)}` : message);
}

/**
 * The program. `main` is the only place that maps errors to exit codes: commander's usage
 * errors and invalid configs -> 2, KamError -> its code, anything else -> 2 with a stack
 * ("internal error, please report"). It never calls process.exit.
 */
export async function main(argv: readonly string[], io: Io): Promise<ExitCodeT> {
  let exitCode: ExitCodeT = ExitCode.Ok;
  const setExitCode = (c: ExitCodeT): void => {
    exitCode = c;
  };
  let out = '';
  let err = '';
  const program = new Command('kam')
    .description('Key account management: score CRM account exports on the five criteria that identify key accounts')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out += s;
      },
      writeErr: (s) => {
        err += s;
      },
      getOutHelpWidth: () => io.columns ?? 80,
      getErrHelpWidth: () => 80,
      outputError: kamUsageError,
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_EXAMPLES);
  registerScore(program, io, setExitCode);
  registerExplain(program, io, setExitCode);
  registerReport(program, io, setExitCode);
  registerValidate(program, io, setExitCode);
  registerDiff(program, io, setExitCode);
  registerBacktest(program, io, setExitCode);
  registerHistory(program, io, setExitCode);
  registerGoals(program, io, setExitCode);
  registerRobust(program, io, setExitCode);
  registerColumns(program, io, setExitCode);
  registerInit(program, io, setExitCode);
  registerConfig(program, io, setExitCode);

  const flush = async (): Promise<void> => {
    if (out) await io.stdout.write(out);
    if (err) await io.stderr.write(err);
    out = '';
    err = '';
  };
  const code = await run();
  // A stdout that failed (`> /dev/full`: ENOSPC; EIO), EPIPE aside, fails the run whatever the command.
  const failure = io.stdout.failure;
  if (failure !== undefined) {
    await io.stderr.write(`kam: cannot write <stdout>: ${stdoutErrno(failure)}\n`);
    return ExitCode.Failure;
  }
  return code;

  async function run(): Promise<ExitCodeT> {
    try {
      if (argv.length === 0) {
        err += program.helpInformation();
        await flush();
        return ExitCode.Failure;
      }
      await program.parseAsync([...argv], { from: 'user' });
      await flush();
      return exitCode;
    } catch (e) {
      await flush();
      if (e instanceof CommanderError) {
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.Ok;
        return ExitCode.Failure;
      }
      if (e instanceof KamError) {
        // Messages quote headers, cells and paths: shown escaped, so none can act on the terminal.
        await io.stderr.write(`kam: ${escapeTerminal(e.message, { keepLineFeeds: true })}\n`);
        return e.exitCode;
      }
      const error = e as Partial<Error> | null | undefined;
      await io.stderr.write(`kam: internal error (please report it with the command you ran): ${error?.stack ?? String(e)}\n`);
      return ExitCode.Failure;
    }
  }
}

const STDOUT_ERRNO: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left',
  EIO: 'input/output error',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EBADF: 'not open for writing',
  EAGAIN: 'would block',
};

/** 'ENOSPC (no space left)' */
function stdoutErrno(e: NodeJS.ErrnoException): string {
  return e.code ? `${e.code} (${STDOUT_ERRNO[e.code] ?? e.message})` : e.message;
}
