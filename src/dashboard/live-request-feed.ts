import type { FastifyInstance } from 'fastify';
import type { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import type { InFlightRequest } from './in-flight-request.ts';
import { liveOutcomeView, type LiveOutcomeView } from './live-outcome-view.ts';
import { OutcomeRing } from './outcome-ring.ts';

export type LiveFeedEvent = { type: 'start'; request: InFlightRequest } | { type: 'outcome'; outcome: LiveOutcomeView };
type LiveFeedListener = (event: LiveFeedEvent) => void;

const RECENT_KEPT = 200;

/**
 * What the dashboard's live view reads: the latest finished requests (from the outcome hub) and
 * the model calls still in flight (the hub's open outcomes, read when asked), with a listener per
 * open `/admin/events` stream.
 */
export class LiveRequestFeed {
  /** The latest outcomes, in columns, turned into views only when read. */
  private readonly recentOutcomes = new OutcomeRing(RECENT_KEPT);
  private readonly listeners = new Set<LiveFeedListener>();
  private readonly outcomes: OutcomeHub;

  constructor(outcomes: OutcomeHub) {
    this.outcomes = outcomes;
    outcomes.subscribe((outcome) => this.finished(outcome));
  }

  /**
   * Tells listeners of each model call once its body is read (so with the model it asked for): a
   * hook on the root instance, before any route is added. With no listener it does nothing.
   */
  watch(app: FastifyInstance): void {
    app.addHook('preHandler', (request, _reply, done) => {
      if (this.listeners.size > 0) {
        const started = inFlightView(request.llmux.outcome);
        if (started !== undefined) this.emit({ type: 'start', request: started });
      }
      done();
    });
  }

  /** Newest first. */
  recent(): LiveOutcomeView[] {
    return this.recentOutcomes.views();
  }

  /** The model calls still in flight, oldest first. */
  running(): InFlightRequest[] {
    const running: InFlightRequest[] = [];
    for (const recorder of this.outcomes.inFlightRecorders()) {
      const view = inFlightView(recorder);
      if (view !== undefined) running.push(view);
    }
    return running;
  }

  subscribe(listener: LiveFeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private finished(outcome: RequestOutcome): void {
    if (outcome.protocol === 'none' || outcome.protocol === 'llmux') return;
    this.recentOutcomes.push(outcome);
    if (this.listeners.size > 0) this.emit({ type: 'outcome', outcome: liveOutcomeView(outcome) });
  }

  private emit(event: LiveFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A model call (a POST under `/v1/` or `/api/`) as the feed lists it; undefined for any other request. */
function inFlightView(recorder: RequestOutcomeRecorder): InFlightRequest | undefined {
  if (recorder.method !== 'POST' || !isModelCall(recorder.route)) return undefined;
  const view: InFlightRequest = { requestId: recorder.requestId, method: recorder.method, route: recorder.route, startedAt: recorder.startedAt };
  if (recorder.requestedModel !== undefined) view.requestedModel = recorder.requestedModel;
  return view;
}

function isModelCall(route: string): boolean {
  return route.startsWith('/v1/') || route.startsWith('/api/');
}
