import type { FastifyInstance } from 'fastify';
import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { InFlightRequest } from './in-flight-request.ts';
import { liveOutcomeView, type LiveOutcomeView } from './live-outcome-view.ts';
import { OutcomeRing } from './outcome-ring.ts';

export type LiveFeedEvent = { type: 'start'; request: InFlightRequest } | { type: 'outcome'; outcome: LiveOutcomeView };
type LiveFeedListener = (event: LiveFeedEvent) => void;

/** Paths of model calls: the only requests the feed follows while in flight. */
const MODEL_CALL = /^\/(v1|api)\//;
const RECENT_KEPT = 200;

/**
 * What the dashboard's live view reads: the latest finished requests (from the outcome hub) and
 * the model calls still in flight, with a listener per open `/admin/events` stream.
 */
export class LiveRequestFeed {
  /** The latest outcomes, in columns, turned into views only when read. */
  private readonly recentOutcomes = new OutcomeRing(RECENT_KEPT);
  private readonly inFlight = new Map<string, InFlightRequest>();
  private readonly listeners = new Set<LiveFeedListener>();
  private readonly now: () => number;

  constructor(outcomes: OutcomeHub, now: () => number = Date.now) {
    this.now = now;
    outcomes.subscribe((outcome) => this.finished(outcome));
  }

  /**
   * Follows model calls from arrival: a hook on the root instance, before any route is added. A
   * call leaves the list with its outcome (every request has one from its first hook on).
   */
  watch(app: FastifyInstance): void {
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.method === 'POST') {
        const url = request.url;
        const query = url.indexOf('?');
        const route = query === -1 ? url : url.slice(0, query);
        if (MODEL_CALL.test(route)) {
          const body = request.body;
          const model = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : undefined;
          const started: InFlightRequest = { requestId: String(request.id), method: request.method, route, startedAt: this.now() };
          if (model !== undefined) started.requestedModel = model;
          this.inFlight.set(started.requestId, started);
          if (this.listeners.size > 0) this.emit({ type: 'start', request: started });
        }
      }
      done();
    });
  }

  /** Newest first. */
  recent(): LiveOutcomeView[] {
    return this.recentOutcomes.views();
  }

  running(): InFlightRequest[] {
    return [...this.inFlight.values()];
  }

  subscribe(listener: LiveFeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private finished(outcome: RequestOutcome): void {
    this.inFlight.delete(outcome.requestId);
    if (outcome.protocol === 'none' || outcome.protocol === 'llmux') return;
    this.recentOutcomes.push(outcome);
    if (this.listeners.size > 0) this.emit({ type: 'outcome', outcome: liveOutcomeView(outcome) });
  }

  private emit(event: LiveFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
