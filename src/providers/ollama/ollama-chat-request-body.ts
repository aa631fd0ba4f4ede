/** The body of `POST /api/chat` as llmux sends it (ollama `api/types.go` ChatRequest). */
export interface OllamaChatRequestBody {
  model: string;
  messages: OllamaRequestMessage[];
  stream: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
  /** `"json"` or a JSON Schema. */
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
  think?: boolean | 'low' | 'medium' | 'high' | 'max';
  logprobs?: boolean;
  top_logprobs?: number;
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
