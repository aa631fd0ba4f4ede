import type { Usage } from '../canonical/usage.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';

/**
 * A finished request as the dashboard's live feed shows it. Outcomes carry no prompts, answers
 * or secrets (a key only by its name); the provider's raw usage object is left out as well.
 */
export type LiveOutcomeView = Omit<RequestOutcome, 'usage'> & { usage?: Omit<Usage, 'raw'> };

export function liveOutcomeView(outcome: RequestOutcome): LiveOutcomeView {
  const { usage, ...rest } = outcome;
  if (usage === undefined) return { ...rest };
  return { ...rest, usage: { input: usage.input, output: usage.output, source: usage.source } };
}
