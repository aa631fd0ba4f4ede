import type { DegradedField } from './degraded-field.ts';

export interface ImageGenerationRequest {
  model: string;
  prompt: string;
  n: number;
  /** `WxH` as OpenAI sends it, e.g. `1024x1792`. */
  size?: string;
  quality?: string;
  style?: string;
  responseFormat: 'url' | 'b64_json';
  /** Body fields the client sent that no canonical field covers (image bots' own parameters). */
  unmappedFields?: Record<string, unknown>;
  /** Options for one provider type, keyed by that type (see ChatRequest.providerOptions). */
  providerOptions?: Record<string, Record<string, unknown>>;
}

export interface GeneratedImage {
  url?: string;
  b64Json?: string;
  mediaType?: string;
  revisedPrompt?: string;
}

export interface ImageGenerationResponse {
  created: number;
  images: GeneratedImage[];
  /** Request fields the provider could not send and dropped (`x-llmux-degraded`). */
  degraded?: DegradedField[];
}
