import { decodeSessionValue, encodeSessionValue } from './session-value.js';

const c = 1_764_670_000_123;

describe('session value encoding', () => {
  it('writes instants relative to createdAt in base 36 and texts unescaped after the header', () => {
    const user = '{"id":"u-1","name":"A \\"quoted\\" name"}';
    const value = encodeSessionValue({ c, x: c + 2_592_000_000, a: c - 5, b: 1, u: user });
    expect(value).toBe(`a-5b1c${c.toString(36).toUpperCase()}u:${user.length}x${(2_592_000_000).toString(36).toUpperCase()}\n${user}`);
    expect(decodeSessionValue(value)).toEqual({ c, x: c + 2_592_000_000, a: c - 5, b: 1, u: user });
  });

  it('has no newline and no segment when the session holds no text', () => {
    const value = encodeSessionValue({ c, x: c + 1_000, b: 1, u: undefined });
    expect(value).not.toContain('\n');
    expect(decodeSessionValue(value)).toEqual({ c, x: c + 1_000, b: 1 });
  });

  it('cuts texts by UTF-8 bytes, whatever they contain (newlines, digits, letters, multi-byte characters)', () => {
    const fields = { c, x: c + 1, d: '{"note":"zwei\\nZeilen, 12ab, ü € 😀"}', p: 'sealed:ABC\n123', u: '[]', m: '' };
    const value = encodeSessionValue(fields);
    expect(value.split('\n')[0]).toContain(`d:${Buffer.byteLength(fields.d)}`);
    expect(decodeSessionValue(value)).toEqual(fields);
  });

  it('reads the former JSON form, without the expiry it repeated (the key has it)', () => {
    const legacy = JSON.stringify({ c, x: c + 10, e: c + 5, a: c, u: '{"id":"u-1"}', b: 1 });
    expect(decodeSessionValue(legacy)).toEqual({ c, x: c + 10, a: c, u: '{"id":"u-1"}', b: 1 });
  });

  it('is shorter than the former JSON form by the escaping and the decimal instants', () => {
    const user = JSON.stringify({ id: 'user-1', email: 'user-1@example.com', roles: ['customer'] });
    const fields = { c, x: c + 2_592_000_000, a: c, u: user };
    expect(encodeSessionValue(fields).length).toBeLessThanOrEqual(user.length + 24);
    expect(JSON.stringify({ ...fields, e: c + 86_400_000 }).length).toBeGreaterThan(user.length + 70);
  });

  it('refuses a field name that is not one lowercase letter', () => {
    expect(() => encodeSessionValue({ c, am: 'x' })).toThrow(/single lowercase letter/);
  });
});
