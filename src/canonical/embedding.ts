import type { Usage } from './usage.ts';

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
}

export interface EmbeddingResponse {
  model?: string;
  /** One vector per input, in input order, as the upstream returned them. */
  embeddings: number[][];
  usage?: Usage;
}
