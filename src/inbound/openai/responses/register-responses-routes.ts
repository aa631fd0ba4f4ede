import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DegradedField } from '../../../canonical/degraded-field.ts';
import { GatewayError } from '../../../canonical/gateway-error.ts';
import { countChatUsage } from '../../../routing/count-chat-usage.ts';
import type { GatewayServices } from '../../../server/gateway-services.ts';
import { writeStreamResponse } from '../../../server/write-stream-response.ts';
import type { JsonObject, StoredResponse } from '../../../state/response-store.ts';
import { SSE_CONTENT_TYPE } from '../../../wire/sse-encoder.ts';
import { parseOpenAIRequestBody } from '../parse-openai-request-body.ts';
import { compactResponsesConversation } from './compact-responses-conversation.ts';
import { convertChatResponseToResponses } from './convert-chat-response-to-responses.ts';
import { convertResponsesRequestToChatRequest, locateInput } from './convert-responses-request-to-chat-request.ts';
import { replayResponsesHistory, storedInputItems } from './replay-responses-history.ts';
import { responsesEnvelope } from './responses-envelope.ts';
import { listResponseInputItems } from './list-response-input-items.ts';
import { plainChatMessagesHint } from './plain-chat-messages.ts';
import { isPlainResponsesBody } from './plain-responses-body.ts';
import { responsesCompactRequestSchema, responsesInputTokensRequestSchema, responsesRequestSchema, type ResponsesRequest } from './responses-request-schema.ts';
import { chatStreamBody } from '../../chat-stream-body.ts';
import { ResponsesStreamEncoder } from './responses-stream-encoder.ts';

const idParamsSchema = z.object({ id: z.string() });

/**
 * The Responses API, under `/v1` and at the root (clients configured with a base URL without
 * `/v1`): create (streamed or not), retrieve, delete, input items, input-token count and compact.
 * A WebSocket upgrade on `/responses` is answered 426 Upgrade Required: Codex falls back to HTTP
 * at once on exactly that status, where any other failure costs it several retries first
 * (codex-rs core/src/client.rs, `StatusCode::UPGRADE_REQUIRED` → `FallbackToHttp`).
 */
export function registerResponsesRoutes(scope: FastifyInstance, services: GatewayServices): void {
  void scope.register(async (responses) => {
    // Request outcomes (logs, usage records, metrics) count the Responses API as its own protocol:
    // its routes' config says so (after the OpenAI scope's own onRoute hook), read when a request arrives.
    responses.addHook('onRoute', (route) => {
      route.config = { ...route.config, protocol: 'responses' };
    });
    registerRoutes(responses, services);
  });
}

function registerRoutes(scope: FastifyInstance, services: GatewayServices): void {
  for (const prefix of ['/v1', '']) {
    scope.post(`${prefix}/responses`, (request, reply) => createResponse(request, reply, services));
    scope.get(`${prefix}/responses`, (request, reply) => refuseWebSocket(request, reply));
    scope.get(`${prefix}/responses/:id`, async (request) => (await findResponse(services, request.params)).response);
    scope.delete(`${prefix}/responses/:id`, async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      if (!(await services.responses.delete(id))) throw responseNotFound(id);
      return { id, object: 'response', deleted: true };
    });
    scope.get(`${prefix}/responses/:id/input_items`, async (request) => listResponseInputItems(await findResponse(services, request.params), request.query));
    scope.post(`${prefix}/responses/input_tokens`, async (request) => {
      const body = parseOpenAIRequestBody(responsesInputTokensRequestSchema, request.body);
      await services.router.resolve(body.model);
      const history = body.previous_response_id == null ? [] : await replayResponsesHistory(services.responses, body.previous_response_id);
      const chatRequest = convertResponsesRequestToChatRequest(body, history);
      const usage = await countChatUsage(chatRequest.messages, chatRequest.tools, '');
      return { object: 'response.input_tokens', input_tokens: usage.input.total };
    });
    scope.post(`${prefix}/responses/compact`, async (request) => {
      const body = parseOpenAIRequestBody(responsesCompactRequestSchema, request.body);
      return compactResponsesConversation(body, services, request.llmux.dispatch);
    });
  }
}

async function createResponse(request: FastifyRequest, reply: FastifyReply, services: GatewayServices): Promise<FastifyReply> {
  const raw: unknown = request.body;
  // A plain body (scalar fields, text input) is what the schema would give back unchanged: no zod pass.
  const body = isPlainResponsesBody(raw) ? raw : parseOpenAIRequestBody(responsesRequestSchema, raw);
  const history = body.previous_response_id == null ? [] : await replayResponsesHistory(services.responses, body.previous_response_id);
  const degraded: DegradedField[] = [];
  const chatRequest = convertResponsesRequestToChatRequest(body, history, degraded);
  if (degraded.length > 0) {
    request.llmux.dispatch.degraded.push(...degraded);
    request.log.warn({ degraded }, `request fields not honoured by llmux: ${degraded.map((entry) => entry.field).join(', ')}`);
  }
  const envelope = responsesEnvelope(body);
  const options = { reasoningAsSummary: wantsReasoningSummary(body) };
  const context = request.llmux.dispatch;
  // Plain text turns go to an OpenAI-compatible upstream as they are (the same-protocol fast path).
  const hint = plainChatMessagesHint(chatRequest.messages);
  if (chatRequest.stream) {
    // With `store: false` nothing is saved, so the terminal event has nothing to wait for.
    const beforeEnd = body.store === false ? undefined : () => save(body, encoder.response, services, request);
    const encoder: ResponsesStreamEncoder = new ResponsesStreamEncoder(envelope, beforeEnd === undefined ? options : { ...options, beforeEnd });
    const routed = await services.dispatcher.stream(chatRequest, context, hint);
    return writeStreamResponse(request, reply, SSE_CONTENT_TYPE, chatStreamBody(routed.batches, encoder));
  }
  const { response } = await services.dispatcher.complete(chatRequest, context, hint);
  // Built directly: the events a stream would carry are never written for a non-streamed request.
  const final = convertChatResponseToResponses(response, envelope, options);
  if (body.store !== false) await save(body, final, services, request);
  return reply.send(final);
}

/** Stores the finished response (asked for unless `store: false`) before its terminal event leaves, so a client can continue from it at once. */
async function save(body: ResponsesRequest, response: JsonObject, services: GatewayServices, request: FastifyRequest): Promise<void> {
  const entry: StoredResponse = { id: String(response['id']), createdAt: Number(response['created_at']), response, inputItems: storedInputItems(locateInput(body.input)) };
  if (body.previous_response_id != null) entry.previousResponseId = body.previous_response_id;
  try {
    await services.responses.put(entry);
  } catch (error) {
    // The answer itself is whole; only continuing from it later will fail, with a 404 naming it.
    request.log.error({ err: error, responseId: entry.id }, 'the response could not be stored');
  }
}

/** A reasoning summary was asked for: reasoning streams as `summary_text`; otherwise as `reasoning_text` content. */
function wantsReasoningSummary(body: ResponsesRequest): boolean {
  const summary = body.reasoning?.summary ?? body.reasoning?.generate_summary;
  return summary != null && summary !== 'none';
}

async function findResponse(services: GatewayServices, params: unknown): Promise<StoredResponse> {
  const { id } = idParamsSchema.parse(params);
  const stored = await services.responses.get(id);
  if (stored === undefined) throw responseNotFound(id);
  return stored;
}

function responseNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `Response with id '${id}' not found.`, { param: 'response_id', code: 'response_not_found' });
}

function refuseWebSocket(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
  const message = upgrade
    ? 'the Responses WebSocket transport is not served by llmux; use HTTP: POST /v1/responses with stream: true'
    : 'GET /v1/responses lists nothing; create a response with POST /v1/responses, or read one with GET /v1/responses/{id}';
  const error = new GatewayError(upgrade ? 'invalid_request' : 'not_found', message, { status: upgrade ? 426 : 404, code: upgrade ? 'upgrade_required' : 'not_found' });
  throw error;
}
