import type { FastifyInstance } from 'fastify';
import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { InFlightRequest } from './in-flight-request.ts';
import { liveOutcomeView, type LiveOutcomeView } from './live-outcome-view.ts';

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
  private readonly recentOutcomes: LiveOutcomeView[] = [];
  private readonly inFlight = new Map<string, InFlightRequest>();
  private readonly listeners = new Set<LiveFeedListener>();
  private readonly now: () => number;

  constructor(outcomes: OutcomeHub, now: () => number = Date.now) {
    this.now = now;
    outcomes.subscribe((outcome) => this.finished(outcome));
  }

  /** Follows model calls from arrival: hooks on the root instance, before any route is added. */
  watch(app: FastifyInstance): void {
    app.addHook('preHandler', (request, _reply, done) => {
      const route = request.url.split('?')[0] ?? request.url;
      if (MODEL_CALL.test(route) && request.method === 'POST') {
        const body = request.body;
        const model = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : undefined;
        const started: InFlightRequest = { requestId: String(request.id), method: request.method, route, startedAt: this.now() };
        if (model !== undefined) started.requestedModel = model;
        this.inFlight.set(started.requestId, started);
        this.emit({ type: 'start', request: started });
      }
      done();
    });
    // A request that ended without an outcome (a route outside any protocol) leaves the list too.
    app.addHook('onResponse', (request, _reply, done) => {
      this.inFlight.delete(String(request.id));
      done();
    });
  }

  /** Newest first. */
  recent(): LiveOutcomeView[] {
    return [...this.recentOutcomes].reverse();
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
    const view = liveOutcomeView(outcome);
    this.recentOutcomes.push(view);
    if (this.recentOutcomes.length > RECENT_KEPT) this.recentOutcomes.shift();
    this.emit({ type: 'outcome', outcome: view });
  }

  private emit(event: LiveFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
