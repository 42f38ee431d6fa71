import { ErrorReply } from 'redis';
import { encodeCommand, RespParser, type RespReply } from './resp.js';

describe('RESP2 encoding and parsing', () => {
  it('encodes a command as bulk strings with byte lengths', () => {
    expect(encodeCommand(['MGET', 's:{1}:a', 'ü'])).toBe('*3\r\n$4\r\nMGET\r\n$7\r\ns:{1}:a\r\n$2\r\nü\r\n');
    expect(encodeCommand([])).toBe('*0\r\n');
  });

  const wire =
    '+OK\r\n' +
    ':1733150000123\r\n' +
    ':-2\r\n' +
    '$5\r\nhäll\r\n' +
    '$-1\r\n' +
    '$0\r\n\r\n' +
    '*3\r\n$3\r\n{"a\r\n$-1\r\n*2\r\n:1\r\n+x\r\n' +
    '*0\r\n' +
    '*-1\r\n' +
    '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
  const expected: RespReply[] = ['OK', 1733150000123, -2, 'häll', null, '', ['{"a', null, [1, 'x']], [], null];

  function check(replies: RespReply[]): void {
    expect(replies.slice(0, expected.length)).toEqual(expected);
    expect(replies).toHaveLength(expected.length + 1);
    const error = replies[expected.length];
    expect(error).toBeInstanceOf(ErrorReply);
    expect((error as ErrorReply).message).toMatch(/^WRONGTYPE /);
  }

  it('parses every reply type from one chunk', () => {
    check(new RespParser().push(Buffer.from(wire)));
  });

  it('gives the same replies however the bytes are split, a multi-byte character included', () => {
    const bytes = Buffer.from(wire);
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new RespParser();
      check([...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))]);
    }
    const parser = new RespParser();
    const oneByOne: RespReply[] = [];
    for (const byte of bytes) oneByOne.push(...parser.push(Buffer.from([byte])));
    check(oneByOne);
  });

  it('keeps a bulk string whose content holds CR LF whole', () => {
    expect(new RespParser().push(Buffer.from('$4\r\na\r\nb\r\n'))).toEqual(['a\r\nb']);
  });

  it('forgets a partial reply on reset', () => {
    const parser = new RespParser();
    expect(parser.push(Buffer.from('$5\r\nab'))).toEqual([]);
    parser.reset();
    expect(parser.push(Buffer.from(':7\r\n'))).toEqual([7]);
  });

  it('refuses bytes that are not RESP2', () => {
    expect(() => new RespParser().push(Buffer.from('HTTP/1.1 400\r\n'))).toThrow(/unexpected RESP type byte 0x48/);
  });
});
