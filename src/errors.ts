/**
 * One way to fail. A UserError carries the exit code of SPEC §4 and a hint that tells the
 * user what to do; the CLI prints it without a stack trace. Anything else is a bug.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  partial: 3,
  overdue: 4,
  /** the database stayed locked by another writer past the busy timeout: nothing changed, try again */
  busy: 5,
  /** Ctrl-C at a prompt: 128 + SIGINT, as a shell reports an interrupted program */
  interrupted: 130,
} as const;

export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A command line that cannot be understood (exit 2). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint, EXIT.usage);
    this.name = 'UsageError';
  }
}
