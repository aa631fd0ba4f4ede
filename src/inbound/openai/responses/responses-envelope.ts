import type { Usage } from '../../../canonical/usage.ts';
import type { JsonObject } from '../../../state/response-store.ts';
import { newOpenAIId } from '../new-openai-id.ts';
import { openAIServiceTier } from '../openai-service-tier.ts';
import type { ResponsesRequest } from './responses-request-schema.ts';

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/**
 * The fields of a Response object that echo the request (openai-node Response): every one
 * present, `null` where the client set nothing, as api.openai.com answers. Built once per
 * request; the encoder adds status, output, usage and error. `service_tier` is the tier asked
 * for (`auto` when none was) while the response is in progress, as api.openai.com's
 * `response.created` says; a finished Response says the tier that served it (finishedServiceTier).
 */
export function responsesEnvelope(body: ResponsesRequest, id: string = newOpenAIId('resp_'), createdAt: number = Math.floor(Date.now() / 1000)): JsonObject {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? body.reasoning?.generate_summary ?? null },
    safety_identifier: body.safety_identifier ?? null,
    service_tier: body.service_tier ?? 'auto',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' }, verbosity: body.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

/**
 * A finished Response's `service_tier`: the tier the upstream says served it (in OpenAI's words), else `default` (what
 * api.openai.com's finished Responses say when the request asked for `auto` or nothing).
 */
export function finishedServiceTier(upstreamTier: string | undefined): string {
  return openAIServiceTier(upstreamTier) ?? 'default';
}

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/**
 * Canonical usage → the Response's `usage`, integers throughout (Codex reads every field as i64).
 * Same meaning as canonical: input includes cached tokens (and cache writes, which have no field
 * of their own), output includes reasoning.
 */
export function toResponsesUsage(usage: Usage | undefined): ResponsesUsage {
  const input = usage?.input.total ?? 0;
  const output = usage?.output.total ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.input.cacheRead ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.output.reasoning ?? 0 },
    total_tokens: input + output,
  };
}
