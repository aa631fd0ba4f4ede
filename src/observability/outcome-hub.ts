import type { FastifyBaseLogger } from 'fastify';
import { InFlightList } from './in-flight-list.ts';
import type { RequestOutcome } from './request-outcome.ts';
import { RequestOutcomeRecorder, type OutcomeDelivery, type OutcomeStart } from './request-outcome-recorder.ts';

export type OutcomeListener = (outcome: RequestOutcome) => void;

/**
 * Where request outcomes go: every request gets a recorder when it arrives, and its finalised
 * outcome is handed to every listener, synchronously, after the response is over. Listeners must
 * not block; one that throws is logged and the others still run.
 */
export class OutcomeHub implements OutcomeDelivery {
  private readonly listeners = new Set<OutcomeListener>();
  private readonly inFlight = new InFlightList<RequestOutcomeRecorder>();
  private readonly log: FastifyBaseLogger | undefined;

  constructor(log?: FastifyBaseLogger) {
    this.log = log;
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: OutcomeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A recorder for a request that just arrived. */
  begin(start: OutcomeStart): RequestOutcomeRecorder {
    const recorder = new RequestOutcomeRecorder(start, this);
    recorder.inFlight = this.inFlight.add(recorder);
    return recorder;
  }

  /** Requests not finalised yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** The recorders of the requests not finalised yet, oldest first. */
  inFlightRecorders(): RequestOutcomeRecorder[] {
    return this.inFlight.values();
  }

  /** Marks every request still in flight as cut by a drain (called just before the cut). */
  markDrainCut(): void {
    for (const recorder of this.inFlight.values()) recorder.markDrainCut();
  }

  /** Called by a recorder, once, with its finalised outcome. */
  deliver(recorder: RequestOutcomeRecorder, outcome: RequestOutcome): void {
    if (recorder.inFlight !== undefined) {
      this.inFlight.remove(recorder.inFlight);
      recorder.inFlight = undefined;
    }
    for (const listener of this.listeners) {
      try {
        listener(outcome);
      } catch (error) {
        this.log?.error({ err: error, reqId: outcome.requestId }, 'a request outcome listener failed');
      }
    }
  }
}
