import { backgroundLine, MAX_COMMAND_MS, slowestCommandCheck } from './report.js';

describe('slowestCommandCheck', () => {
  it('passes at the bound and fails above it', () => {
    expect(slowestCommandCheck('step', MAX_COMMAND_MS, 'EVALSHA', 0).ok).toBe(true);
    expect(slowestCommandCheck('step', MAX_COMMAND_MS + 0.1, 'EVALSHA', 0).ok).toBe(false);
  });

  it('names the command and says the figure is unreliable only above 10% of other load', () => {
    const quiet = slowestCommandCheck('list', 12.34, 'MGET on :7000', 0.1);
    expect(quiet.detail).toBe('12.3 ms, MGET on :7000');
    expect(slowestCommandCheck('list', 12.34, 'MGET', 0.52).detail).toMatch(/UNRELIABLE: other processes used 52% of the machine/);
    expect(slowestCommandCheck('list', 0, '', null).detail).toBe('0.0 ms; background load unknown');
  });
});

describe('backgroundLine', () => {
  it('warns above 10% of the machine only', () => {
    expect(backgroundLine(0.1)).not.toMatch(/WARNING/);
    expect(backgroundLine(0.11)).toMatch(/11% .*WARNING/);
    expect(backgroundLine(null)).toMatch(/unknown/);
  });
});
