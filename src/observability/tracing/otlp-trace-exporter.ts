import type { FastifyBaseLogger } from 'fastify';
import packageJson from '../../../package.json' with { type: 'json' };
import type { RequestOutcome } from '../request-outcome.ts';
import type { OtlpSettings } from './otlp-settings.ts';
import type { OtlpSpan } from './otlp-span.ts';
import { spansFromOutcome } from './spans-from-outcome.ts';

const EXPORT_INTERVAL_MS = 1000;
const MAX_BATCH_SPANS = 512;
/** Spans kept while the receiver is away; beyond this the oldest are dropped (and counted). */
const MAX_QUEUED_SPANS = 8192;

/**
 * Exports request spans over OTLP/HTTP as JSON, in batches, off the request path: a POST of the
 * queued spans every second (or when 512 wait). A receiver that is down costs a warning, not a
 * request; close() sends what is left.
 */
export class OtlpTraceExporter {
  private readonly settings: OtlpSettings;
  private readonly log: FastifyBaseLogger;
  private queue: OtlpSpan[] = [];
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> | undefined;
  private failing = false;
  private dropped = 0;

  constructor(settings: OtlpSettings, log: FastifyBaseLogger) {
    this.settings = settings;
    this.log = log;
    this.timer = setInterval(() => void this.flush(), EXPORT_INTERVAL_MS);
    this.timer.unref();
  }

  /** The outcome listener. */
  readonly export = (outcome: RequestOutcome): void => {
    this.queue.push(...spansFromOutcome(outcome));
    if (this.queue.length > MAX_QUEUED_SPANS) {
      this.dropped += this.queue.length - MAX_QUEUED_SPANS;
      this.queue.splice(0, this.queue.length - MAX_QUEUED_SPANS);
    }
    if (this.queue.length >= MAX_BATCH_SPANS && this.sending === undefined) void this.flush();
  };

  async flush(): Promise<void> {
    while (this.sending !== undefined) await this.sending;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH_SPANS);
      this.sending = this.send(batch);
      try {
        await this.sending;
      } finally {
        this.sending = undefined;
      }
      if (this.failing) break;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(spans: OtlpSpan[]): Promise<void> {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: this.settings.serviceName } }, { key: 'service.version', value: { stringValue: packageJson.version } }] },
          scopeSpans: [{ scope: { name: 'llmux', version: packageJson.version }, spans }],
        },
      ],
    };
    try {
      const response = await fetch(this.settings.tracesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.settings.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the receiver answered ${response.status}`);
      if (this.failing || this.dropped > 0) this.log.info({ dropped: this.dropped }, `traces reach ${this.settings.tracesUrl} again`);
      this.failing = false;
      this.dropped = 0;
    } catch (error) {
      // Spans of a failed POST are not retried: a receiver that is down must not grow memory.
      this.dropped += spans.length;
      if (!this.failing) this.log.warn({ url: this.settings.tracesUrl }, `could not export traces: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    }
  }
}
