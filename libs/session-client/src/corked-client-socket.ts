import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';

/**
 * Nest's JsonSocket with requests batched per tick: a web tier serving many pages at once
 * sends the calls that start in the same tick in one write instead of a syscall each.
 */
export class CorkedClientSocket extends JsonSocket {
  private corked = false;

  constructor(socket: Socket) {
    super(socket);
    // Batching is done per tick above; Nagle's algorithm would only hold a batch back until
    // the previous one is acknowledged (up to a delayed-ACK period on an idle connection).
    socket.setNoDelay(true);
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
