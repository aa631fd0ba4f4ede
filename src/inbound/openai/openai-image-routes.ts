import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { convertImageResponseToOpenAI } from './convert-image-response-to-openai.ts';
import { convertOpenAIImageRequest } from './convert-openai-image-request.ts';
import { openAIImageRequestSchema } from './openai-image-request-schema.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';

/** `POST /v1/images/generations` → `dispatcher.generateImages`. */
export function registerOpenAIImageRoutes(scope: FastifyInstance, services: GatewayServices): void {
  scope.post('/v1/images/generations', async (request, reply) => {
    const body = parseOpenAIRequestBody(openAIImageRequestSchema, request.body);
    const imageRequest = convertOpenAIImageRequest(body, services.config.default_model);
    const { response } = await services.dispatcher.generateImages(imageRequest, request.llmux.dispatch);
    return reply.send(convertImageResponseToOpenAI(response, imageRequest.responseFormat));
  });
}
