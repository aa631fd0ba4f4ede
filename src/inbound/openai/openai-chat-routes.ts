import type { FastifyInstance } from 'fastify';
import { SSE_CONTENT_TYPE } from '../../wire/sse-encoder.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { answeredModel } from '../../routing/answered-model.ts';
import { writeStreamResponse } from '../../server/write-stream-response.ts';
import { convertChatResponseToOpenAI } from './convert-chat-response-to-openai.ts';
import { convertOpenAIRequestToChatRequest } from './convert-openai-request-to-chat-request.ts';
import { openAIChatRequestSchema } from './openai-chat-request-schema.ts';
import { chatStreamBody } from '../chat-stream-body.ts';
import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';
import { isPlainOpenAIChatBody } from './plain-openai-chat-body.ts';

/**
 * `POST /v1/chat/completions`. Errors before the first byte (bad request, unknown model, an
 * upstream that failed at once) are thrown and answered as HTTP errors by the protocol scope;
 * once streaming, they arrive in-band as the stream's error chunk.
 */
export function registerOpenAIChatRoutes(scope: FastifyInstance, services: GatewayServices): void {
  scope.post('/v1/chat/completions', async (request, reply) => {
    const raw: unknown = request.body;
    // A plain body (text turns, simple fields) needs no schema pass, and its messages can go to an
    // OpenAI-compatible upstream as they are: the same-protocol fast path.
    const plain = isPlainOpenAIChatBody(raw);
    const body = plain ? raw : parseOpenAIRequestBody(openAIChatRequestSchema, raw);
    const chatRequest = convertOpenAIRequestToChatRequest(body);
    const hint = plain ? { openAIMessages: raw.messages } : undefined;
    const context = request.llmux.dispatch;
    if (chatRequest.stream) {
      const routed = await services.dispatcher.stream(chatRequest, context, hint);
      const includeUsage = body.stream_options?.include_usage === true;
      return writeStreamResponse(request, reply, SSE_CONTENT_TYPE, chatStreamBody(routed.batches, new OpenAIChatStreamEncoder({ model: answeredModel(routed.model, body.model), includeUsage })));
    }
    const { response, model } = await services.dispatcher.complete(chatRequest, context, hint);
    return reply.send(convertChatResponseToOpenAI(response, answeredModel(model, body.model)));
  });
}
