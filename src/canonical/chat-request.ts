import type { ChatMessage } from './chat-message.ts';
import type { ReasoningOptions } from './reasoning-options.ts';
import type { ResponseFormat } from './response-format.ts';
import type { ToolChoice, ToolDefinition } from './tool-definition.ts';

/**
 * The canonical chat request. `model` is the upstream model id once routing has chosen a target;
 * inbound converters put the client's model name there and routing replaces it.
 */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  repeatPenalty?: number;
  logitBias?: Record<string, number>;
  logprobs?: boolean;
  topLogprobs?: number;
  /** Context window the client asked for (Ollama `num_ctx`); only local-model providers use it. */
  contextLength?: number;
  /** End-user id for abuse tracking (OpenAI `user`). */
  user?: string;
  /**
   * Provider-specific extras the client sent that have no canonical field, e.g. Poe bot
   * `parameters`, OpenAI `extra_body` keys. Providers pick what they understand.
   */
  extra?: Record<string, unknown>;
}
