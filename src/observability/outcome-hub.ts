import type { RequestOutcome } from './request-outcome.ts';

export type OutcomeListener = (outcome: RequestOutcome) => void;

/**
 * Hands every finished request's outcome to each listener (usage records, metrics, traces),
 * synchronously. A listener that throws is a bug in it; the others still run.
 */
export class OutcomeHub {
  private readonly listeners: OutcomeListener[] = [];

  subscribe(listener: OutcomeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  publish(outcome: RequestOutcome): void {
    for (const listener of this.listeners) {
      try {
        listener(outcome);
      } catch {
        // A listener must not throw; one that does must not cost the others their outcome.
      }
    }
  }
}
