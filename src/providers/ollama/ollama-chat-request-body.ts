/** What `/api/chat` and `/api/generate` share (ollama `api/types.go`). */
export interface OllamaGenerationFields {
  /** `"json"` or a JSON Schema. */
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
  truncate?: boolean;
  shift?: boolean;
  think?: boolean | 'low' | 'medium' | 'high' | 'max';
  logprobs?: boolean;
  top_logprobs?: number;
}

/** The body of `POST /api/chat` as llmux sends it (ollama `api/types.go` ChatRequest). */
export interface OllamaChatRequestBody extends OllamaGenerationFields {
  model: string;
  messages: OllamaRequestMessage[];
  stream: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
}

/** The body of `POST /api/generate` for fill-in-the-middle and raw prompts (GenerateRequest). */
export interface OllamaGenerateRequestBody extends OllamaGenerationFields {
  model: string;
  prompt: string;
  suffix?: string;
  raw?: boolean;
  system?: string;
  images?: string[];
  stream: boolean;
}

export interface OllamaRequestMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Raw base64, no `data:` prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: { id?: string; function: { index?: number; name: string; arguments: Record<string, unknown> } }[];
  tool_name?: string;
  tool_call_id?: string;
}
