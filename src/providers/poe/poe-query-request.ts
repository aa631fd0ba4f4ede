import type { PoeAttachment } from './poe-attachment-uploader.ts';

/**
 * The bot-protocol request body llmux sends: `QueryRequest` plus the top-level tool fields, as
 * github:poe-platform/fastapi_poe src/fastapi_poe/types.py defines them. Built by llmux, so
 * plain types; fields with defaults that llmux never sets are left out.
 */
export interface PoeProtocolMessage {
  role: 'system' | 'user' | 'bot' | 'tool';
  /** `function_call` marks a bot message that called tools (types.py `MessageType`). */
  message_type?: 'function_call';
  content: string;
  content_type: 'text/markdown' | 'text/plain';
  attachments: PoeAttachment[];
  /** Per-bot custom parameters (aspect ratio, …). */
  parameters?: Record<string, unknown>;
}

export interface PoeToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface PoeToolCallDefinition {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface PoeToolResultDefinition {
  role: 'tool';
  name: string;
  tool_call_id: string;
  content: string;
}

export interface PoeQueryRequest {
  version: string;
  type: 'query';
  query: PoeProtocolMessage[];
  user_id: string;
  conversation_id: string;
  message_id: string;
  temperature: number | null;
  skip_system_prompt: boolean;
  logit_bias: Record<string, number>;
  stop_sequences: string[];
  tools: PoeToolDefinition[] | null;
  tool_calls: PoeToolCallDefinition[] | null;
  tool_results: PoeToolResultDefinition[] | null;
}
