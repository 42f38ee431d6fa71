import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';

/** Frames above this size are refused and the connection is closed (Nest's JsonSocket framing). */
export const MAX_FRAME_CHARS = 1_048_576;

/**
 * Nest's JsonSocket, except that a frame that is not JSON is reported by its size only:
 * the stock error message embeds the whole frame, which may hold cookies and tokens.
 */
export class RedactingJsonSocket extends JsonSocket {
  constructor(socket: Socket) {
    super(socket, { maxBufferSize: MAX_FRAME_CHARS, incompleteMessageTimeout: 10_000 });
  }

  protected override emitMessage(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      throw new Error(`Could not parse a JSON frame of ${data.length} characters (content not logged)`);
    }
    this.socket.emit('message', message ?? {});
  }
}
