export interface ImageGenerationRequest {
  model: string;
  prompt: string;
  n: number;
  /** `WxH` as OpenAI sends it, e.g. `1024x1792`. */
  size?: string;
  quality?: string;
  style?: string;
  responseFormat: 'url' | 'b64_json';
  extra?: Record<string, unknown>;
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
}
