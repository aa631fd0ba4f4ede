import { randomBytes } from 'node:crypto';
import type { RequestOutcome } from '../request-outcome.ts';
import type { OtlpSpan, OtlpValue } from './otlp-span.ts';

/**
 * A request's spans, following the OpenTelemetry GenAI semantic conventions: one SERVER span for
 * the request (`chat gpt-4o`), one CLIENT span per upstream attempt under it. Attempt durations
 * are exact; attempts ran one after another and the last one ended with the response, so their
 * starts are laid out backwards from the end.
 */
export function spansFromOutcome(outcome: RequestOutcome): OtlpSpan[] {
  const traceId = randomBytes(16).toString('hex');
  const requestSpanId = randomBytes(8).toString('hex');
  const operation = operationName(outcome.route);
  const end = outcome.startedAt + outcome.totalMs;
  const attributes: [string, string | number | boolean | undefined][] = [
    ['gen_ai.operation.name', operation],
    ['gen_ai.request.model', outcome.requestedModel],
    ['gen_ai.response.model', outcome.upstreamModel],
    ['gen_ai.provider.name', outcome.attempts.at(-1)?.providerType],
    ['gen_ai.usage.input_tokens', outcome.usage?.input.total],
    ['gen_ai.usage.output_tokens', outcome.usage?.output.total],
    ['gen_ai.usage.cache_read.input_tokens', outcome.usage?.input.cacheRead],
    ['gen_ai.usage.cache_creation.input_tokens', outcome.usage?.input.cacheWrite],
    ['gen_ai.usage.reasoning.output_tokens', outcome.usage?.output.reasoning],
    ['http.route', outcome.route],
    ['http.response.status_code', outcome.status],
    ['error.type', outcome.status >= 400 ? (outcome.errorKind ?? String(outcome.status)) : undefined],
    ['llmux.request_id', outcome.requestId],
    ['llmux.protocol', outcome.protocol],
    ['llmux.key', outcome.keyName],
    ['llmux.provider', outcome.provider],
    ['llmux.streamed', outcome.streamed],
    ['llmux.result', outcome.result],
    ['llmux.ttft_ms', outcome.ttftMs],
    ['llmux.overhead_ms', outcome.overheadMs],
  ];
  const spans: OtlpSpan[] = [
    {
      traceId,
      spanId: requestSpanId,
      name: outcome.requestedModel === undefined ? `${operation} ${outcome.route}` : `${operation} ${outcome.requestedModel}`,
      kind: 2,
      startTimeUnixNano: nanos(outcome.startedAt),
      endTimeUnixNano: nanos(end),
      attributes: toAttributes(attributes),
      status: outcome.status >= 500 ? { code: 2, ...(outcome.errorMessage === undefined ? {} : { message: outcome.errorMessage }) } : { code: 0 },
    },
  ];
  let attemptEnd = end;
  const attemptSpans: OtlpSpan[] = [];
  for (let index = outcome.attempts.length - 1; index >= 0; index--) {
    const attempt = outcome.attempts[index];
    if (attempt === undefined) continue;
    const attemptStart = Math.max(outcome.startedAt, attemptEnd - attempt.ms);
    const failed = attempt.status >= 400;
    attemptSpans.unshift({
      traceId,
      spanId: randomBytes(8).toString('hex'),
      parentSpanId: requestSpanId,
      name: `${operation} ${attempt.model}`,
      kind: 3,
      startTimeUnixNano: nanos(attemptStart),
      endTimeUnixNano: nanos(attemptEnd),
      attributes: toAttributes([
        ['gen_ai.operation.name', operation],
        ['gen_ai.request.model', attempt.model],
        ['gen_ai.provider.name', attempt.providerType],
        ['http.response.status_code', attempt.status],
        ['error.type', failed ? (attempt.errorKind ?? String(attempt.status)) : undefined],
        ['llmux.provider', attempt.provider],
        ['llmux.attempt', index + 1],
      ]),
      status: failed ? { code: 2 } : { code: 0 },
    });
    attemptEnd = attemptStart;
  }
  spans.push(...attemptSpans);
  return spans;
}

/** The GenAI operation a route performs. */
function operationName(route: string): string {
  if (/embed/.test(route)) return 'embeddings';
  if (/images/.test(route)) return 'generate_content';
  if (route === '/v1/completions' || route === '/api/generate') return 'text_completion';
  return 'chat';
}

function toAttributes(entries: [string, string | number | boolean | undefined][]): { key: string; value: OtlpValue }[] {
  const result: { key: string; value: OtlpValue }[] = [];
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (typeof value === 'string') result.push({ key, value: { stringValue: value } });
    else if (typeof value === 'boolean') result.push({ key, value: { boolValue: value } });
    else if (Number.isInteger(value)) result.push({ key, value: { intValue: String(value) } });
    else result.push({ key, value: { doubleValue: Math.round(value * 1000) / 1000 } });
  }
  return result;
}

function nanos(epochMs: number): string {
  return (BigInt(Math.round(epochMs * 1000)) * 1000n).toString();
}
