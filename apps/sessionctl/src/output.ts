import type { CliIo } from './cli-io.js';

export type Row = Record<string, string | number | boolean | null | undefined>;

/** Renders rows as an aligned text table with upper-case headers; `(none)` for no rows. */
export function renderTable(columns: { key: string; header: string }[], rows: Row[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((c) => cellText(row[c.key])));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

/** Renders one record as `key: value` lines with aligned values. */
export function renderRecord(entries: [string, Row[string]][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${(k + ':').padEnd(width + 1)}  ${cellText(v)}`).join('\n') + '\n';
}

function cellText(value: Row[string]): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

/** Prints either the machine-readable value (`--json`) or the human rendering. */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  result(value: unknown, human: () => string): void {
    this.io.stdout.write(this.json ? JSON.stringify(value, null, 2) + '\n' : human());
  }

  /**
   * A failure, on stderr (never on stdout, so `--json` output stays parseable): one line of
   * text, or with `--json` one line `{"error":{"message","code","exitCode","details"?}}`.
   */
  error(message: string, fields: { code?: string | undefined; exitCode?: number; details?: unknown } = {}): void {
    this.io.stderr.write(this.json ? `${JSON.stringify({ error: { message, ...fields } })}\n` : `sessionctl: ${message}\n`);
  }
}
