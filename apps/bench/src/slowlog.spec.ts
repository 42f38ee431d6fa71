import { slowestOf } from './slowlog.js';

describe('slowestOf', () => {
  it('takes the slowest node and names it', () => {
    expect(
      slowestOf([
        { ms: 2, command: 'MGET', node: ':1' },
        { ms: 7.5, command: 'EVALSHA', node: ':2' },
        { ms: 3, command: 'SET', node: ':3' },
      ]),
    ).toEqual({ ms: 7.5, command: 'EVALSHA on :2' });
  });

  it('is 0 ms and no command when no node logged one', () => {
    expect(slowestOf([{ ms: 0, command: '', node: ':1' }])).toEqual({ ms: 0, command: '' });
  });
});
