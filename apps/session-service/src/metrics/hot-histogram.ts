import type { Metric, Registry } from 'prom-client';

/** One label set's counts: per bucket (not cumulative; summed when scraped), sum and count. */
class Series {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Record<string, string>,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]! += 1;
    this.sum += value;
    this.count++;
  }
}

export interface HotHistogramOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A Prometheus histogram for the hot paths (every RPC, every Redis call): an observation is
 * a bucket search and three additions. prom-client's Histogram checks and hashes the labels
 * on every observation, bound or not, which cost microseconds per resolve. Scraped through
 * the registry like any prom-client metric, in the same text format.
 */
export class HotHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly series = new Map<string, Series>();

  constructor(private readonly options: HotHistogramOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series of one label set, to observe without looking it up again. */
  labels(labels: Record<L, string>): { observe(value: number): void } {
    const key = this.options.labelNames.map((l) => labels[l]).join('\u0000');
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = new Series(this.options.buckets, { ...labels })));
    return series;
  }

  observe(labels: Record<L, string>, value: number): void {
    this.labels(labels).observe(value);
  }

  reset(): void {
    this.series.clear();
  }

  /** What the registry renders: `_bucket` (cumulative, `le` first), `_sum` and `_count` per label set. */
  get(): {
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: { metricName: string; labels: Record<string, string | number>; value: number }[];
  } {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.options.buckets.forEach((le, i) => {
        cumulative += series.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...series.labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...series.labels }, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: series.labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
