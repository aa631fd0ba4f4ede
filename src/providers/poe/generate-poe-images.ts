import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { GeneratedImage, ImageGenerationRequest, ImageGenerationResponse } from '../../canonical/image-generation.ts';
import { headerValue, type UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import type { CallContext } from '../provider-adapter.ts';
import { aspectRatioForSize } from './aspect-ratio-for-size.ts';
import { responseText } from '../../canonical/chat-response.ts';
import { extractGeneratedImages, type FoundImage } from './extract-generated-images.ts';

export interface PoeImageOptions {
  /** Custom bot parameters to send along (`aspect`, `quality`, …) */
  parameters: Record<string, unknown>;
  /** Where the backend declares the parameters it cannot send. */
  degraded: DegradedField[];
}

export interface PoeImageBackend {
  /** Builds the chat request for one image, in the protocol's own way of carrying parameters. */
  chatRequest(model: string, prompt: string, options: PoeImageOptions): ChatRequest;
  complete(request: ChatRequest, context: CallContext): Promise<ChatResponse>;
  /** The provider's own client (its proxy), for downloading `b64_json` images. */
  httpClient: UpstreamHttpClient;
}

/**
 * `/v1/images/generations` on Poe image bots (reference A4): one non-streamed bot call per image
 * (`n` > 1 → n calls, the first image of each), `size` → the bot's aspect ratio, both as the
 * `--aspect W:H` prompt suffix image bots read and as the `aspect` parameter; the images come
 * from `file` events or the markdown of the final text; `b64_json` downloads them through the
 * provider's own HTTP client.
 */
export async function generatePoeImages(request: ImageGenerationRequest, context: CallContext, backend: PoeImageBackend): Promise<ImageGenerationResponse> {
  const aspect = aspectRatioForSize(request.size);
  const parameters: Record<string, unknown> = { ...request.unmappedFields, ...poeParameters(request) };
  if (aspect !== undefined) parameters['aspect'] = aspect;
  if (request.quality !== undefined) parameters['quality'] = request.quality;
  if (request.style !== undefined) parameters['style'] = request.style;
  const prompt = aspect === undefined || /--(aspect|ar)\s/.test(request.prompt) ? request.prompt : `${request.prompt} --aspect ${aspect}`;

  const images: GeneratedImage[] = [];
  const degraded: DegradedField[] = [];
  for (let call = 0; call < Math.max(1, request.n); call++) {
    const response = await backend.complete(backend.chatRequest(request.model, prompt, { parameters, degraded }), context);
    degraded.push(...(response.degraded ?? []));
    const found = extractGeneratedImages(response)[0];
    if (found === undefined) {
      const said = responseText(response).trim().slice(0, 300);
      throw new GatewayError('upstream', `Poe bot '${request.model}' answered without an image${said === '' ? '' : `: "${said}"`}`, { retryable: false });
    }
    images.push(request.responseFormat === 'b64_json' ? await download(found, backend.httpClient, context) : toUrlImage(found));
  }
  const result: ImageGenerationResponse = { created: Math.floor(Date.now() / 1000), images };
  // Each of the n calls declares the same fields: once each is enough.
  const declared = [...new Map(degraded.map((entry) => [entry.field, entry])).values()];
  if (declared.length > 0) result.degraded = declared;
  return result;
}

function toUrlImage(found: FoundImage): GeneratedImage {
  return found.mediaType === undefined ? { url: found.url } : { url: found.url, mediaType: found.mediaType };
}

async function download(found: FoundImage, httpClient: UpstreamHttpClient, context: CallContext): Promise<GeneratedImage> {
  if (found.url.startsWith('data:')) {
    const comma = found.url.indexOf(',');
    const header = found.url.slice(5, comma);
    return { b64Json: found.url.slice(comma + 1), mediaType: header.split(';')[0] ?? 'image/png' };
  }
  const response = await httpClient.request({ url: found.url, method: 'GET', headers: { accept: 'image/*' }, signal: context.signal });
  if (response.status !== 200) {
    await response.body.drain();
    throw new GatewayError('upstream', `could not download the generated image from ${new URL(found.url).host} (${response.status})`, {
      upstreamStatus: response.status,
      retryable: response.status >= 500,
    });
  }
  const bytes = Buffer.from(await response.body.bytes());
  const mediaType = headerValue(response.headers, 'content-type')?.split(';')[0] ?? found.mediaType ?? 'image/png';
  return { b64Json: bytes.toString('base64'), mediaType };
}

/** `provider_options.poe.parameters`, where the client gave them. */
function poeParameters(request: ImageGenerationRequest): Record<string, unknown> {
  const parameters = request.providerOptions?.['poe']?.['parameters'];
  return isRecord(parameters) ? { ...parameters } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
