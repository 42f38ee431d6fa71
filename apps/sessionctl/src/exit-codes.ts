/** Process exit codes of sessionctl. */
export const ExitCode = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation failed: a service error, an unreachable service, nothing found. */
  failed: 1,
  /** Bad usage: unknown command or option, a missing or malformed argument, input the service rejected. */
  usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad usage detected by sessionctl itself (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure already explained to the user; carries only the exit code (exit 1). */
export class OperationFailed extends Error {
  override readonly name = 'OperationFailed';
}
