/** Exit codes, documented in the README. */
export const ExitCode = { Ok: 0, InvalidData: 1, Failure: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error kam expected and can explain in one line; printed as `kam: message`, no stack. */
export class KamError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input file has a problem the user must fix (exit 1). */
export class InputError extends KamError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.InvalidData, options);
  }
}

/** Bad usage, config, or an I/O failure (exit 2). */
export class UsageError extends KamError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Failure, options);
  }
}
