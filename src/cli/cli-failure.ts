/**
 * A command that cannot do what was asked, for a reason the user can fix: its message is printed
 * as one line (no stack trace) and the process exits with `exitCode`.
 */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
