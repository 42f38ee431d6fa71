import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';

/** Largest request frame the TCP transport accepts, in characters. */
export const MAX_FRAME_CHARS = 1_048_576;

/**
 * Nest's JsonSocket with the session service's frame limits, and replies batched per tick:
 * replies that complete in the same tick (Redis answers many resolves in one read) leave
 * in one write instead of a syscall each.
 */
export class CorkedJsonSocket extends JsonSocket {
  private corked = false;

  constructor(socket: Socket) {
    // Frames above 1 MiB are refused (the connection is closed); requests are small.
    super(socket, { maxBufferSize: MAX_FRAME_CHARS, incompleteMessageTimeout: 10_000 });
  }

  protected override handleSend(message: unknown, callback?: (err?: unknown) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    super.handleSend(message, callback);
  }
}
