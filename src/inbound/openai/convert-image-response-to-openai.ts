import type { GeneratedImage, ImageGenerationResponse } from '../../canonical/image-generation.ts';

export interface OpenAIImagesResponse {
  created: number;
  data: { url?: string; b64_json?: string; revised_prompt?: string }[];
}

/**
 * The canonical result → OpenAI's `{created, data}`, in the format asked for where the provider
 * gave it. Base64 asked as a URL becomes a `data:` URL; a URL asked as base64 stays a URL
 * (fetching it here would mean llmux downloading from wherever the provider stored it).
 */
export function convertImageResponseToOpenAI(response: ImageGenerationResponse, responseFormat: 'url' | 'b64_json'): OpenAIImagesResponse {
  return { created: response.created, data: response.images.map((image) => toOpenAIImage(image, responseFormat)) };
}

function toOpenAIImage(image: GeneratedImage, responseFormat: 'url' | 'b64_json'): OpenAIImagesResponse['data'][number] {
  const converted: OpenAIImagesResponse['data'][number] = {};
  if (responseFormat === 'b64_json' && image.b64Json !== undefined) converted.b64_json = image.b64Json;
  else if (image.url !== undefined) converted.url = image.url;
  else if (image.b64Json !== undefined) converted.url = `data:${image.mediaType ?? 'image/png'};base64,${image.b64Json}`;
  if (image.revisedPrompt !== undefined) converted.revised_prompt = image.revisedPrompt;
  return converted;
}
