import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  const same = (ms: number) => expect(isoTime(ms)).toBe(new Date(ms).toISOString());

  it('formats as Date#toISOString across leap days, month and year ends', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '2024-02-29T12:00:00.005Z',
      '2026-12-31T23:59:59.050Z',
      '2100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoTime(Date.parse(text))).toBe(text);
    }
  });

  it('agrees with Date#toISOString on a spread of instants', () => {
    for (let ms = 0; ms < 253_402_300_800_000; ms += 9_876_543_210_987) same(ms);
    const now = Date.now();
    for (let i = 0; i < 20_000; i++) same(now + i * 7_919_111);
  });

  it('leaves instants outside 1970-9999 and non-integers to Date', () => {
    same(-1);
    same(253_402_300_800_000);
    same(1.5);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
