import { readFile } from 'node:fs/promises';
import { USER_ID_PATTERN } from '#libs/contracts';
import { UsageError } from './exit-codes.js';

const HEADER = /^(user_?id|user)$/i;

/**
 * Reads user IDs from a CSV file: the first column of each line; blank lines and `#` comments
 * are skipped, as is a header cell `userId`/`user_id`/`user`; duplicates are dropped.
 * Every line is checked before anything is revoked: one bad ID rejects the whole file.
 */
export async function readUserIds(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseUserIds(text, path);
}

export function parseUserIds(text: string, source: string): string[] {
  const ids = new Set<string>();
  const bad: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const cell = unquote(line.split(',')[0]!.trim());
    if (cell === '' || cell.startsWith('#') || (index === 0 && HEADER.test(cell))) return;
    if (USER_ID_PATTERN.test(cell)) ids.add(cell);
    else bad.push(`line ${index + 1} (${JSON.stringify(cell.slice(0, 40))})`);
  });
  if (bad.length)
    throw new UsageError(
      `${source}: not a user id on ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}; nothing was revoked`,
    );
  if (ids.size === 0) throw new UsageError(`${source} holds no user ids`);
  return [...ids];
}

function unquote(cell: string): string {
  return cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).trim() : cell;
}
