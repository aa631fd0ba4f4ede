import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { answeredModel } from '../../routing/answered-model.ts';
import { writeStreamResponse } from '../../server/write-stream-response.ts';
import { SSE_CONTENT_TYPE } from '../../wire/sse-encoder.ts';
import { convertChatResponseToOpenAICompletion } from './convert-chat-response-to-openai-completion.ts';
import { convertOpenAICompletionRequestToChatRequest } from './convert-openai-completion-request-to-chat-request.ts';
import { openAICompletionRequestSchema } from './openai-completion-request-schema.ts';
import { chatStreamBody } from '../chat-stream-body.ts';
import { OpenAICompletionStreamEncoder } from './openai-completion-stream-encoder.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';

/** The legacy `POST /v1/completions`, served by chat models. */
export function registerOpenAICompletionRoutes(scope: FastifyInstance, services: GatewayServices): void {
  scope.post('/v1/completions', async (request, reply) => {
    const body = parseOpenAIRequestBody(openAICompletionRequestSchema, request.body);
    const chatRequest = convertOpenAICompletionRequestToChatRequest(body);
    const context = request.llmux.dispatch;
    if (chatRequest.stream) {
      const routed = await services.dispatcher.stream(chatRequest, context);
      const includeUsage = body.stream_options?.include_usage === true;
      return writeStreamResponse(request, reply, SSE_CONTENT_TYPE, chatStreamBody(routed.batches, new OpenAICompletionStreamEncoder({ model: answeredModel(routed.model, body.model), includeUsage })));
    }
    const { response, model } = await services.dispatcher.complete(chatRequest, context);
    return reply.send(convertChatResponseToOpenAICompletion(response, answeredModel(model, body.model)));
  });
}
