import { CommanderError } from 'commander';
import type { FieldError } from '#libs/contracts';
import { SessionServiceError } from '#libs/session-client';
import { ServiceCallFailed } from './connection.js';
import { ExitCode, OperationFailed, UsageError } from './exit-codes.js';
import type { Output } from './output.js';

/**
 * Explains a failure in one line on stderr and returns the exit code. The stack (and the
 * cause's) is printed only with `--verbose`.
 */
export function reportError(error: unknown, out: Output, verbose: boolean, writeStack: (text: string) => void): number {
  const { message, code, errorCode, details } = describe(error);
  if (message) out.error(message, { code: errorCode, exitCode: code, ...(details === undefined ? {} : { details }) });
  if (verbose && error instanceof Error && !(error instanceof CommanderError)) writeStack(stackOf(error));
  return code;
}

interface Described {
  message: string | null;
  /** The process exit code. */
  code: number;
  /** What `--json` reports as `error.code`: the service's error code, or USAGE / FAILED. */
  errorCode?: string;
  details?: unknown;
}

function describe(error: unknown): Described {
  if (error instanceof CommanderError) return describeCommanderError(error);
  if (error instanceof UsageError) return { message: error.message, code: ExitCode.usage, errorCode: 'USAGE' };
  if (error instanceof OperationFailed) return { message: error.message, code: ExitCode.failed, errorCode: 'FAILED' };
  const target = error instanceof ServiceCallFailed ? error.target : null;
  const serviceError = error instanceof ServiceCallFailed ? error.error : error instanceof SessionServiceError ? error : null;
  if (serviceError) return describeServiceError(serviceError, target ?? 'the configured address');
  const text = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${text} (run with --verbose for details)`, code: ExitCode.failed, errorCode: 'INTERNAL' };
}

/**
 * Help and --version end parsing with exit code 0 and have printed what was asked; a real
 * usage error becomes one line: commander's message without its "error: " prefix.
 */
function describeCommanderError(error: CommanderError): Described {
  if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
    return { message: null, code: error.exitCode === 0 ? ExitCode.ok : ExitCode.usage };
  }
  const text = error.message
    .replace(/^error: /, '')
    .split('\n')[0]!
    .trim();
  return { message: `${text} (run with --help for usage)`, code: ExitCode.usage, errorCode: 'USAGE' };
}

function describeServiceError(error: SessionServiceError, target: string): Described {
  return {
    ...describeServiceErrorText(error, target),
    errorCode: error.code,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}

function describeServiceErrorText(error: SessionServiceError, target: string): { message: string; code: number } {
  switch (error.code) {
    case 'UNAVAILABLE':
      return {
        message: `cannot reach the session service at ${target}: ${error.message.replace(/^session service unavailable: /, '')}`,
        code: ExitCode.failed,
      };
    case 'TIMEOUT':
      return { message: `the session service at ${target} did not answer in time (TIMEOUT; see --timeout)`, code: ExitCode.failed };
    case 'UNAUTHENTICATED':
      return { message: `the service refused the token (UNAUTHENTICATED): ${error.message}`, code: ExitCode.failed };
    case 'FORBIDDEN': {
      const missing = forbiddenMissing(error.details);
      const what = missing.length ? `the token lacks ${missing.join(', ')}` : 'the token is not allowed to do this';
      return { message: `${what} (FORBIDDEN): ${error.message}`, code: ExitCode.failed };
    }
    case 'VALIDATION_FAILED': {
      const fields = fieldErrors(error.details);
      const detail = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : error.message;
      return { message: `invalid input (VALIDATION_FAILED): ${detail}`, code: ExitCode.usage };
    }
    case 'UNKNOWN_SHOP':
      return { message: `unknown shop (UNKNOWN_SHOP): ${error.message}`, code: ExitCode.usage };
    default:
      return { message: `the service failed (${error.code}): ${error.message}`, code: ExitCode.failed };
  }
}

function forbiddenMissing(details: unknown): string[] {
  const missing = (details as { missing?: unknown } | undefined)?.missing;
  return Array.isArray(missing) ? missing.map(String) : [];
}

function fieldErrors(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is FieldError => typeof d === 'object' && d !== null && typeof (d as FieldError).field === 'string');
}

function stackOf(error: Error): string {
  let text = `${error.stack ?? error.message}\n`;
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `Caused by: ${cause.stack ?? cause.message}\n`;
    cause = cause.cause;
  }
  return text;
}
