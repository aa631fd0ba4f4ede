import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestOutcome } from '../observability/request-outcome.ts';

/** The request's outcome once the response is over, from what its context gathered. */
export function requestOutcomeOf(request: FastifyRequest, reply: FastifyReply): RequestOutcome {
  const context = request.llmux;
  const totalMs = performance.now() - context.receivedAt;
  const route = request.routeOptions.url ?? request.url;
  const status = reply.raw.writableFinished || reply.sent ? reply.statusCode : 499;
  const aborted = context.controller.signal.aborted;
  const target = context.dispatch.target;
  const outcome: RequestOutcome = {
    requestId: String(request.id),
    startedAt: Date.now() - totalMs,
    protocol: route.startsWith('/api/') ? 'ollama' : route.startsWith('/v1/') ? 'openai' : 'llmux',
    route,
    attempts: [],
    status: aborted ? 499 : status,
    result: aborted ? 'client_abort' : status >= 400 ? 'error' : 'success',
    streamed: context.streamed === true,
    totalMs,
    overheadMs: Math.max(0, totalMs - context.dispatch.upstreamMs),
    bytesOut: 0,
    degraded: [],
  };
  const model = requestedModel(request.body);
  if (model !== undefined) outcome.requestedModel = model;
  if (context.client !== undefined) outcome.keyName = context.client.name;
  if (target !== undefined) {
    outcome.provider = target.provider.id;
    outcome.upstreamModel = target.upstreamModel;
    outcome.attempts.push({ provider: target.provider.id, providerType: target.provider.type, model: target.upstreamModel, status: aborted ? 499 : status, ms: context.dispatch.upstreamMs });
  }
  if (context.usage !== undefined) outcome.usage = context.usage;
  if (context.dispatch.degraded.length > 0) outcome.degraded = [...context.dispatch.degraded];
  return outcome;
}

function requestedModel(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const model = fields.model ?? fields.name;
  return typeof model === 'string' && model.length > 0 ? model : undefined;
}
