import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { HIDDEN_FROM_OPENAPI } from '../../openapi/route-doc.ts';
import type { InputUsage } from '../../canonical/usage.ts';
import { countPromptTokens } from '../../routing/count-prompt-tokens.ts';
import { loadPromptTokenCounter } from '../../routing/prompt-token-counter.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { writeStreamResponse } from '../../server/write-stream-response.ts';
import { SSE_CONTENT_TYPE } from '../../wire/sse-encoder.ts';
import { parseOpenAIRequestBody as parseRequestBody } from '../openai/parse-openai-request-body.ts';
import { anthropicCountTokensRequestSchema, anthropicMessagesRequestSchema } from './anthropic-messages-request-schema.ts';
import { chatStreamBody } from '../chat-stream-body.ts';
import { AnthropicStreamEncoder, DEFAULT_PING_INTERVAL_MS } from './anthropic-stream-encoder.ts';
import { convertAnthropicCountRequestToChatRequest, convertAnthropicRequestToChatRequest } from './convert-anthropic-request-to-chat-request.ts';
import { convertChatResponseToAnthropic } from './convert-chat-response-to-anthropic.ts';
import { isPlainAnthropicRequest } from './is-plain-anthropic-request.ts';
import { peekInputUsage } from './peek-input-usage.ts';

export interface AnthropicRouteOptions {
  /** Silence on a stream, in ms, after which a `ping` is sent. */
  pingIntervalMs?: number;
}

/**
 * `POST /v1/messages` and `POST /v1/messages/count_tokens` (Claude Code adds `?beta=true`, which is
 * accepted like any query). Errors before the first byte are answered by the protocol scope in
 * Anthropic's shape; once streaming, they arrive as an `error` event.
 */
export function registerAnthropicMessagesRoutes(scope: FastifyInstance, services: GatewayServices, options: AnthropicRouteOptions = {}): void {
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;

  scope.post('/v1/messages', async (request, reply) => {
    const body = isPlainAnthropicRequest(request.body) ? request.body : parseRequestBody(anthropicMessagesRequestSchema, request.body);
    const chatRequest = convertAnthropicRequestToChatRequest(body, request.headers);
    const context = request.llmux.dispatch;
    if (chatRequest.stream) return streamMessages(request, reply, services, chatRequest, body.model, pingIntervalMs);
    const { response } = await services.dispatcher.complete(chatRequest, context);
    const countedInput = response.usage === undefined ? { total: await (await loadPromptTokenCounter())(chatRequest.messages, chatRequest.tools, request.llmux.controller.signal) } : undefined;
    return reply.send(convertChatResponseToAnthropic(response, body.model, countedInput));
  });

  scope.post('/v1/messages/count_tokens', async (request, reply) => {
    const body = parseRequestBody(anthropicCountTokensRequestSchema, request.body);
    const chatRequest = convertAnthropicCountRequestToChatRequest(body, request.headers);
    const count = await countPromptTokens(services.dispatcher, chatRequest, request.llmux.dispatch);
    return reply.header('x-llmux-token-count', count.source).send({ input_tokens: count.inputTokens });
  });

  // Other Messages API paths (batches) are not served: a 404 in Anthropic's shape, not OpenAI's.
  scope.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/v1/messages/*',
    config: HIDDEN_FROM_OPENAPI,
    handler: async (request) => {
      const path = request.url.split('?')[0] ?? request.url;
      throw new GatewayError('not_found', `${request.method} ${path} is not served by llmux (the Message Batches API is not supported)`);
    },
  });
}

/**
 * A stream's prompt is counted alongside the upstream call (the tokenizer loads while the upstream
 * works, and the count gives the event loop back as it goes) and used for `message_start` only when
 * the upstream does not report its usage before the first output. Nothing here outlives the start
 * of the stream but the count: the abort listener goes once counting is over, and the encoder gets
 * the number, not a closure over the request.
 */
async function streamMessages(request: FastifyRequest, reply: FastifyReply, services: GatewayServices, chatRequest: ChatRequest, model: string, pingIntervalMs: number): Promise<FastifyReply> {
  const context = request.llmux.dispatch;
  const counter = loadPromptTokenCounter();
  const routing = services.dispatcher.stream(chatRequest, context).then((routed) => routed.batches);
  const counting = new AbortController();
  const stopCounting = (): void => counting.abort();
  const signal = request.llmux.controller.signal;
  signal.addEventListener('abort', stopCounting, { once: true });
  const counted = counter.then((count) => count(chatRequest.messages, chatRequest.tools, counting.signal));
  const countingOver = (): void => signal.removeEventListener('abort', stopCounting);
  counted.then(countingOver, countingOver);
  // Errors that come quickly are HTTP errors with their status (routing may still retry or fall
  // back); an upstream that stays silent longer gets the stream opened and pinged meanwhile.
  const waitStarted = performance.now();
  const routed = await settledWithin(routing, pingIntervalMs);
  if (routed === undefined) {
    // The stream opens while routing still waits on the upstream: that wait is the upstream's
    // time in the overhead header sent now; the dispatcher counts the whole wait once it ends.
    const waited = performance.now() - waitStarted;
    context.upstreamMs += waited;
    void routing.then(
      () => (context.upstreamMs -= waited),
      () => (context.upstreamMs -= waited),
    );
  }
  let total: number | undefined;
  if (routed !== undefined && peekInputUsage(routed.held)) {
    stopCounting();
  } else {
    total = await counted.catch((error: unknown) => {
      // No count (the client left, or no tokenizer): no stream either; the upstream is let go.
      void routing.then((stream) => stream.close(), () => undefined);
      throw error;
    });
  }
  const encoder = new AnthropicStreamEncoder(total === undefined ? { model } : { model, countInput: fixedInput(total) });
  return writeStreamResponse(request, reply, SSE_CONTENT_TYPE, chatStreamBody(routed ?? routing, encoder, pingIntervalMs));
}

/** The prompt's counted usage, from a closure that holds the number alone. */
function fixedInput(total: number): () => InputUsage {
  return () => ({ total });
}

/** The promise's value if it settles within `ms` (its rejection is thrown); undefined if not yet. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
