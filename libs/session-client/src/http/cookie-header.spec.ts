import { readCookie } from './cookie-header.js';

describe('readCookie', () => {
  it('finds the named cookie among others, as sent (still URL-encoded)', () => {
    expect(readCookie('a=1; $session-1001=s%3Aabc.sig; b=2', '$session-1001')).toBe('s%3Aabc.sig');
    expect(readCookie('$session-1001=s:abc.sig', '$session-1001')).toBe('s:abc.sig');
  });

  it('does not confuse shops whose names share a prefix, and takes the first duplicate', () => {
    const header = '$session-10010=x; $session-1001=first; $session-1001=second';
    expect(readCookie(header, '$session-1001')).toBe('first');
    expect(readCookie(header, '$session-100')).toBeNull();
  });

  it('handles no header, empty values, quotes, missing "=" and an array of headers', () => {
    expect(readCookie(undefined, 'a')).toBeNull();
    expect(readCookie('a=', 'a')).toBeNull();
    expect(readCookie('junk; a="q"', 'a')).toBe('q');
    expect(readCookie(['x=1', 'a=2'], 'a')).toBe('2');
    expect(readCookie('  a = 3 ;', 'a')).toBe('3');
  });
});
