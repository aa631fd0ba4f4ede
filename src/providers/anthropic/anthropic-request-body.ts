/** The Messages API request body llmux sends (anthropic-sdk-typescript MessageCreateParamsBase). */
export type AnthropicBlock = Record<string, unknown> & { type: string };

export interface AnthropicRequestMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicRequestMessage[];
  system?: AnthropicBlock[];
  tools?: Record<string, unknown>[];
  tool_choice?: Record<string, unknown>;
  thinking?: Record<string, unknown>;
  output_config?: Record<string, unknown>;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id: string };
  stream?: boolean;
  [field: string]: unknown;
}
