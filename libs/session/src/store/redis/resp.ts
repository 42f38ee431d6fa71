import { ErrorReply } from 'redis';

/** A RESP2 reply: status and bulk strings, integers, nil, arrays of replies, or Redis's error. */
export type RespReply = string | number | null | ErrorReply | RespReply[];

const CR = 0x0d;
/** Marks a reply whose bytes have not all arrived yet. */
const INCOMPLETE = Symbol('incomplete');
type Parsed = { value: RespReply; end: number } | typeof INCOMPLETE;

/** One command as RESP2 sends it: an array of bulk strings (lengths in bytes, so keys may hold any UTF-8). */
export function encodeCommand(args: readonly string[]): string {
  let frame = `*${args.length}\r\n`;
  for (const arg of args) frame += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return frame;
}

/**
 * Turns the bytes of a connection into replies, in order. Bytes may arrive split anywhere;
 * a reply that is not complete yet waits for the next chunk. Bulk strings are decoded as UTF-8,
 * as node-redis does for the same commands, and error replies become node-redis's ErrorReply.
 */
export class RespParser {
  private rest: Buffer | null = null;

  /** The replies `chunk` completes (none when it only adds to a partial one); `chunk` is not kept. */
  push(chunk: Buffer): RespReply[] {
    const data = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    const replies: RespReply[] = [];
    let at = 0;
    while (at < data.length) {
      const parsed = parseAt(data, at);
      if (parsed === INCOMPLETE) break;
      replies.push(parsed.value);
      at = parsed.end;
    }
    // A copy: `chunk` may be a read buffer that the next read overwrites.
    this.rest = at < data.length ? Buffer.from(data.subarray(at)) : null;
    return replies;
  }

  /** Forgets a partial reply (the connection it came from is gone). */
  reset(): void {
    this.rest = null;
  }
}

function parseAt(data: Buffer, at: number): Parsed {
  const lineEnd = data.indexOf(CR, at + 1);
  if (lineEnd < 0 || lineEnd + 1 >= data.length) return INCOMPLETE;
  const type = data[at];
  const line = data.toString('latin1', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+' status
      return { value: line, end: next };
    case 0x2d: // '-' error
      return { value: new ErrorReply(line), end: next };
    case 0x3a: // ':' integer
      return { value: Number(line), end: next };
    case 0x24: {
      // '$' bulk string, '$-1' nil
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (next + length + 2 > data.length) return INCOMPLETE;
      return { value: data.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case 0x2a: {
      // '*' array, '*-1' nil
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(data, end);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected RESP type byte 0x${(type ?? 0).toString(16)}`);
  }
}
