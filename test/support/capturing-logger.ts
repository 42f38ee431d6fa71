import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line, for asserting on what the service logs. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;

  text(): string {
    return this.lines.join('\n');
  }
}
