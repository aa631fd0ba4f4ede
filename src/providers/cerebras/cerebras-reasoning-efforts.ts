import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { OpenAICompatibleRequestBody } from '../openai-compatible/openai-compatible-request-body.ts';

/** `reasoning_effort` values in order, as the Node SDK 1.91 types them (`none|low|medium|high`). */
const LADDER = ['none', 'low', 'medium', 'high'] as const;

interface EffortRule {
  pattern: RegExp;
  /** The values the family takes; empty: it does not reason, so there is nothing to set. */
  accepted: readonly string[];
}

/**
 * What each Cerebras model family takes as `reasoning_effort`, most specific first:
 * - gpt-oss: `low|medium|high` only; `none` (and `minimal`) are refused with `wrong_api_format`
 *   (https://inference-docs.cerebras.ai/capabilities/reasoning; harn-vm's capability table
 *   `80-cerebras.toml`: "accepts top-level reasoning_effort only for {low, medium, high}");
 * - zai-glm and the newer Qwen 3.x reasoning models: `none|low|medium|high` (`none` turns
 *   thinking off; GLM's older `disable_reasoning` is deprecated);
 * - Llama, Gemma and the instruct/coder Qwen 3 models do not reason and take no effort.
 * A model no rule knows gets what the SDK allows.
 */
const RULES: EffortRule[] = [
  { pattern: /^gpt-oss/, accepted: ['low', 'medium', 'high'] },
  { pattern: /^zai-glm/, accepted: LADDER },
  { pattern: /^qwen-3-(235b-a22b-instruct|coder|32b-instruct)/, accepted: [] },
  { pattern: /^qwen-3/, accepted: LADDER },
  { pattern: /^(llama|gemma)/, accepted: [] },
];

/**
 * Makes `body.reasoning_effort` one the model takes: kept when accepted; the nearest accepted
 * value when the family reasons but not at that level (gpt-oss cannot stop reasoning: `none`
 * becomes `low`); left out for a model that does not reason. What changed is declared
 * (`degraded`, the x-llmux-degraded header), never a 400 from upstream.
 */
export function fitCerebrasReasoningEffort(body: OpenAICompatibleRequestBody, degraded: DegradedField[]): void {
  const effort = body.reasoning_effort;
  if (effort === undefined) return;
  const accepted = RULES.find((rule) => rule.pattern.test(body.model.toLowerCase()))?.accepted ?? LADDER;
  if (accepted.includes(effort)) return;
  if (accepted.length === 0) {
    delete body.reasoning_effort;
    if (effort !== 'none') degraded.push({ field: 'reasoning_effort', reason: `'${effort}' dropped: ${body.model} does not reason` });
    return;
  }
  const wanted = LADDER.indexOf(effort as (typeof LADDER)[number]);
  const nearest = [...accepted].sort((a, b) => Math.abs(LADDER.indexOf(a as (typeof LADDER)[number]) - wanted) - Math.abs(LADDER.indexOf(b as (typeof LADDER)[number]) - wanted))[0];
  if (nearest === undefined) return;
  body.reasoning_effort = nearest;
  degraded.push({ field: 'reasoning_effort', reason: `'${effort}' sent as '${nearest}': ${body.model} takes ${accepted.join('|')}` });
}
