import { JsonFrameReader } from './json-frame-reader.js';

const frame = (value: unknown): string => {
  const json = JSON.stringify(value);
  return `${json.length}#${json}`;
};

describe('JsonFrameReader', () => {
  const messages = [{ id: '1', response: { name: 'Zoë 🛒' }, isDisposed: true }, { id: '2', err: { code: 'FORBIDDEN' } }, null];
  const stream = messages.map(frame).join('');

  it('reads several frames from one chunk, the length counting UTF-16 code units', () => {
    const got: unknown[] = [];
    new JsonFrameReader().push(stream, (m) => got.push(m));
    expect(got).toEqual(messages);
  });

  it('reads the same frames split at any position', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const got: unknown[] = [];
      const reader = new JsonFrameReader();
      reader.push(stream.slice(0, cut), (m) => got.push(m));
      reader.push(stream.slice(cut), (m) => got.push(m));
      expect([cut, got]).toEqual([cut, messages]);
    }
  });

  it('reads a long frame fed in many small chunks, and the frame after it', () => {
    const long = { id: '3', response: 'x'.repeat(100_000) };
    const text = frame(long) + frame({ id: '4' });
    const got: unknown[] = [];
    const reader = new JsonFrameReader();
    for (let at = 0; at < text.length; at += 997) reader.push(text.slice(at, at + 997), (m) => got.push(m));
    expect(got).toEqual([long, { id: '4' }]);
  });

  it('throws on a corrupt length or a frame that is not JSON', () => {
    expect(() => new JsonFrameReader().push('x12#{}', () => undefined)).toThrow(/corrupt frame/);
    expect(() => new JsonFrameReader().push('#{}', () => undefined)).toThrow(/corrupt frame/);
    expect(() => new JsonFrameReader().push('3#{x}', () => undefined)).toThrow(/not JSON/);
  });

  it('refuses to hold more than its limit for one frame', () => {
    expect(() => new JsonFrameReader(10).push('100#{"a":"0123456789', () => undefined)).toThrow(/longer than 10/);
    const reader = new JsonFrameReader(20);
    reader.push('100#{"a":"', () => undefined);
    expect(() => reader.push('0123456789abcdef', () => undefined)).toThrow(/longer than 20/);
  });
});
