/**
 * Splits the text a Nest TCP peer sends into its JSON frames, `<length>#<json>`, where the
 * length counts UTF-16 code units of the JSON (what Nest's JsonSocket writes), not bytes.
 * Frames may arrive split over reads or several in one read.
 */
export class JsonFrameReader {
  private rest = '';
  /** How long `rest` must grow before the frame it starts with is complete (0: unknown). */
  private needed = 0;

  /** Longest text held for one unfinished frame, as Nest's JsonSocket allows (in characters). */
  constructor(private readonly maxBuffered = 128 * 1024 * 1024) {}

  /** Feeds decoded text; calls `onFrame` with each complete frame's parsed JSON. Throws on a corrupt stream. */
  push(text: string, onFrame: (message: unknown) => void): void {
    if (this.needed > this.rest.length + text.length) {
      // Still inside a long frame: append (a rope, no copy) instead of reading the text again.
      this.rest += text;
      if (this.rest.length > this.maxBuffered) throw new Error(`frame longer than ${this.maxBuffered} characters`);
      return;
    }
    this.needed = 0;
    const buffer = this.rest === '' ? text : this.rest + text;
    let at = 0;
    for (;;) {
      let length = 0;
      let i = at;
      for (; i < buffer.length; i++) {
        const digit = buffer.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) break;
        length = length * 10 + digit;
      }
      if (i === buffer.length) break; // the length prefix is not complete yet
      if (i === at || buffer.charCodeAt(i) !== 35 /* # */)
        throw new Error(`corrupt frame: expected <length>#, got ${JSON.stringify(buffer.slice(at, i + 1))}`);
      const end = i + 1 + length;
      if (end > buffer.length) {
        this.needed = end - at;
        break;
      }
      const json = buffer.slice(i + 1, end);
      at = end;
      let message: unknown;
      try {
        message = JSON.parse(json);
      } catch {
        throw new Error(`corrupt frame: not JSON (${json.length} characters)`);
      }
      onFrame(message);
    }
    this.rest = at === 0 ? buffer : buffer.slice(at);
    if (this.rest.length > this.maxBuffered) throw new Error(`frame longer than ${this.maxBuffered} characters`);
  }

  /** Drops an unfinished frame (the connection it came from is gone). */
  reset(): void {
    this.rest = '';
    this.needed = 0;
  }
}
