import type { Histogram, Registry } from 'prom-client';

/** One label set of a histogram: observing is a bucket search and three additions. */
export interface HistogramSeries {
  observe(value: number): void;
}

interface SeriesState extends HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Per bucket, not cumulative; the last slot counts values above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A sample as prom-client's registry formats it (the shape its own Histogram hands over). */
interface HistogramSample {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<string, string>>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

/**
 * A Prometheus histogram (bounds ascending) in a prom-client registry, written in exactly the text prom-client's own
 * Histogram writes, but observed through series handles a caller keeps per label set: no label
 * object is built, hashed or validated per observation (prom-client does all three, and keys its
 * buckets by the bound's string). A value that is not a finite number is not counted. Series appear once observed, in the order they were first asked
 * for; a histogram without label names has its one series from the start, as prom-client's does.
 */
export class BucketHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, SeriesState>();
  private readonly unlabelled: boolean;

  constructor(options: { name: string; help: string; buckets: readonly number[]; labelled: boolean; registers: Registry[] }) {
    this.name = options.name;
    this.help = options.help;
    this.bounds = [...options.buckets];
    this.unlabelled = !options.labelled;
    if (this.unlabelled) this.seriesFor('', {});
    // The registry reads a metric through name, get/getForPromString and reset, which this has;
    // its typings only name prom-client's own classes.
    for (const registry of options.registers) registry.registerMetric(this as unknown as Histogram);
  }

  /** The series of a label set (`key` identifies it; `labels` are used the first time only). */
  seriesFor(key: string, labels: Readonly<Record<string, string>>): HistogramSeries {
    const known = this.series.get(key);
    if (known !== undefined) return known;
    const bounds = this.bounds;
    const state: SeriesState = {
      labels,
      counts: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
      observe(value: number): void {
        if (!Number.isFinite(value)) return;
        let index = 0;
        while (index < bounds.length && value > (bounds[index] as number)) index++;
        (state.counts[index] as number) += 1;
        state.sum += value;
        state.count += 1;
      },
    };
    this.series.set(key, state);
    return state;
  }

  /** What prom-client's registry turns into text: per series its cumulative buckets, +Inf, sum and count. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; values: HistogramSample[]; aggregator: string }> {
    const values: HistogramSample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const state of this.series.values()) {
      if (state.count === 0 && !this.unlabelled) continue;
      let cumulative = 0;
      for (const [index, bound] of this.bounds.entries()) {
        cumulative += state.counts[index] as number;
        values.push({ labels: { le: bound }, sharedLabels: state.labels, value: cumulative, metricName: bucketName, exemplar: null });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: state.labels, value: state.count, metricName: bucketName, exemplar: null });
      values.push({ labels: {}, sharedLabels: state.labels, value: state.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: state.labels, value: state.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** As getForPromString, each sample's labels whole (prom-client's JSON form). */
  async get(): Promise<{ name: string; help: string; type: string; values: Omit<HistogramSample, 'sharedLabels'>[]; aggregator: string }> {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...sample }) => ({ ...sample, labels: { ...labels, ...sharedLabels } })) };
  }

  /** Zeroes every series (handles stay valid). */
  reset(): void {
    for (const state of this.series.values()) {
      state.counts.fill(0);
      state.sum = 0;
      state.count = 0;
    }
  }
}
