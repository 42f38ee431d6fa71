import { readFileSync } from 'node:fs';

export type ConfigFile = { kind: 'unset' } | { kind: 'read'; value: unknown } | { kind: 'unreadable'; problem: string };

/** Reads and parses the SESSION_CONFIG file; a JSON syntax error is reported with its line and column. */
export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return { kind: 'unset' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { kind: 'unreadable', problem: `SESSION_CONFIG (${path}): cannot read the file: ${code ?? (e as Error).message}` };
  }
  try {
    return { kind: 'read', value: JSON.parse(text) };
  } catch (e) {
    return { kind: 'unreadable', problem: `SESSION_CONFIG (${path}): ${describeSyntaxError(text, (e as Error).message)}` };
  }
}

/** Where the text stops being JSON, as "line L, column C" (1-based), with V8's reason. */
function describeSyntaxError(text: string, message: string): string {
  const offset = errorOffset(text, message);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const reason = message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does');
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

/**
 * V8 usually names the offset ("... in JSON at position 41"), but not for every error (Node 20:
 * "Unexpected token ..., "..." is not valid JSON"): then the offset is found as the end of the
 * shortest prefix that is already wrong (a prefix that is merely incomplete is not).
 */
function errorOffset(text: string, message: string): number {
  if (/^Unexpected end of JSON input/.test(message)) return text.length;
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (validSoFar(text.slice(0, mid))) good = mid;
    else bad = mid;
  }
  return bad - 1;
}

function validSoFar(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (e) {
    const message = (e as Error).message;
    return /^Unexpected end of JSON input/.test(message) || Number(/at position (\d+)/.exec(message)?.[1]) === prefix.length;
  }
}
