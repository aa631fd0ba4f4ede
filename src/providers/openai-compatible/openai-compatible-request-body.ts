/**
 * The chat-completions body llmux sends upstream
 * (https://platform.openai.com/docs/api-reference/chat/create). Built by llmux, so plain types;
 * the index signature lets dialects add their own fields (Cerebras `reasoning_format`, client extras).
 */

export type OpenAICompatibleContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'file'; file: { file_data: string; filename?: string } };

export interface OpenAICompatibleToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAICompatibleMessage =
  | { role: 'system' | 'developer'; content: string; name?: string }
  | { role: 'user'; content: string | OpenAICompatibleContentPart[]; name?: string }
  | {
      role: 'assistant';
      content: string | null;
      name?: string;
      tool_calls?: OpenAICompatibleToolCall[];
      /** Earlier reasoning, for dialects that take it back (Cerebras `reasoning`, DeepSeek-style `reasoning_content`). */
      reasoning?: string;
      reasoning_content?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAICompatibleTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type OpenAICompatibleToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAICompatibleResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } };

export interface OpenAICompatibleRequestBody {
  model: string;
  messages: OpenAICompatibleMessage[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  tools?: OpenAICompatibleTool[];
  tool_choice?: OpenAICompatibleToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAICompatibleResponseFormat;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  logit_bias?: Record<string, number>;
  logprobs?: boolean;
  top_logprobs?: number;
  user?: string;
  reasoning_effort?: string;
  [field: string]: unknown;
}
