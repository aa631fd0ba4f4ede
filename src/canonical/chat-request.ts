import type { ChatMessage } from './chat-message.ts';
import type { ProviderTool } from './provider-tool.ts';
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
  /** Tools that only one provider type runs (Anthropic server tools); `tools` holds the client's own. */
  providerTools?: ProviderTool[];
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
   * Fill-in-the-middle: the text after the insertion point (Ollama generate `suffix`, OpenAI
   * completions `suffix`). The prompt is the text before it.
   */
  suffix?: string;
  /**
   * The single user message is the whole prompt, to be sent as it is without a chat template
   * (Ollama generate `raw`). A provider that can only apply its own template refuses it.
   */
  rawPrompt?: boolean;
  /**
   * Body fields the client sent that no canonical field covers, by their wire name (OpenAI
   * `extra_body` keys, unknown top-level fields). A provider sends those its protocol defines or its
   * config lists in `pass_through_fields`, and declares the rest degraded; none is forwarded blindly.
   */
  unmappedFields?: Record<string, unknown>;
  /**
   * Options for one provider type, keyed by that type (`providerOptions.poe.parameters`). A provider
   * reads only its own key and validates it; the others ignore it.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
}
