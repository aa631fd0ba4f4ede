import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ImageGenerationRequest } from '../../canonical/image-generation.ts';
import { collectOpenAIUnmappedFields } from './convert-openai-sampling-fields.ts';
import { KNOWN_OPENAI_IMAGE_FIELDS, type OpenAIImageRequest } from './openai-image-request-schema.ts';

/**
 * An images request → the canonical one. OpenAI lets `model` be left out (it picks its own
 * default); here that means the configured `default_model`, or a 400 when there is none.
 */
export function convertOpenAIImageRequest(body: OpenAIImageRequest, defaultModel: string | undefined): ImageGenerationRequest {
  const model = body.model ?? defaultModel;
  if (model === undefined) {
    throw new GatewayError('invalid_request', 'model: required (no default_model is configured)', { param: 'model' });
  }
  const request: ImageGenerationRequest = { model, prompt: body.prompt, n: body.n ?? 1, responseFormat: body.response_format ?? 'url' };
  if (body.size != null) request.size = body.size;
  if (body.quality != null) request.quality = body.quality;
  if (body.style != null) request.style = body.style;
  collectOpenAIUnmappedFields(body, KNOWN_OPENAI_IMAGE_FIELDS, request);
  return request;
}
