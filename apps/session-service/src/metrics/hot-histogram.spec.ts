import { Histogram, Registry } from 'prom-client';
import { HotHistogram } from './hot-histogram.js';

describe('HotHistogram', () => {
  it("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const [hot, reference] = [new Registry(), new Registry()];
    const options = { name: 'x_seconds', help: 'x', labelNames: ['pattern', 'code'] as const, buckets: [0.001, 0.01, 0.1] };
    const h = new HotHistogram({ ...options, registers: [hot] });
    const r = new Histogram({ ...options, registers: [reference] });
    const observations: [string, string, number][] = [
      ['a', 'OK', 0.0005],
      ['a', 'OK', 0.001],
      ['a', 'OK', 0.05],
      ['a', 'OK', 3],
      ['b', 'STORE_UNAVAILABLE', 0.2],
    ];
    const bound = h.labels({ pattern: 'a', code: 'OK' });
    for (const [pattern, code, value] of observations) {
      if (pattern === 'a') bound.observe(value);
      else h.observe({ pattern, code }, value);
      r.observe({ pattern, code }, value);
    }
    expect(await hot.metrics()).toBe(await reference.metrics());
  });

  it('renders nothing but its header before the first observation, and after reset', async () => {
    const registry = new Registry();
    const h = new HotHistogram({ name: 'y_seconds', help: 'y', labelNames: ['k'], buckets: [1], registers: [registry] });
    expect(await registry.metrics()).toBe('# HELP y_seconds y\n# TYPE y_seconds histogram\n');
    h.observe({ k: 'v' }, 2);
    h.reset();
    expect(await registry.metrics()).toBe('# HELP y_seconds y\n# TYPE y_seconds histogram\n');
  });
});
