import type { ChatMessage } from '../../../canonical/chat-message.ts';
import type { ChatRequest } from '../../../canonical/chat-request.ts';
import type { DegradedField } from '../../../canonical/degraded-field.ts';
import { GatewayError } from '../../../canonical/gateway-error.ts';
import type { ReasoningEffort, ReasoningOptions } from '../../../canonical/reasoning-options.ts';
import type { ResponseFormat } from '../../../canonical/response-format.ts';
import type { ToolChoice, ToolDefinition } from '../../../canonical/tool-definition.ts';
import { collectOpenAIUnmappedFields } from '../convert-openai-sampling-fields.ts';
import { convertResponsesInputItems, type LocatedInputItem } from './convert-responses-input-items.ts';
import type { ResponsesInputItem } from './responses-input-item-schema.ts';
import { KNOWN_RESPONSES_FIELDS, type ResponsesRequest } from './responses-request-schema.ts';

/**
 * Fields that belong to the gateway, not to the model: llmux acts on them itself (`store`,
 * `metadata`, `previous_response_id`, `include`) or they only tune the platform (`truncation`,
 * `service_tier`, `prompt_cache_key`, `stream_options`).
 */
const UNSUPPORTED_FIELDS: readonly (readonly [keyof ResponsesRequest, string])[] = [
  ['background', 'background responses are not supported by llmux; send the request without background'],
  ['conversation', 'the Conversations API is not supported by llmux; continue with previous_response_id or send the whole input'],
  ['prompt', 'stored prompt templates are not supported by llmux; send instructions and input'],
];

/**
 * A validated `/v1/responses` body → the canonical request. `history` holds the items of the
 * conversation it continues (`previous_response_id`, replayed from the store), which come before
 * this request's own input; the previous response's `instructions` are not among them. Fields
 * llmux itself cannot honour and drops without changing what the answer is about go into
 * `degraded`.
 */
export function convertResponsesRequestToChatRequest(body: ResponsesRequest, history: readonly LocatedInputItem[] = [], degraded: DegradedField[] = []): ChatRequest {
  refuseUnsupported(body);
  const messages: ChatMessage[] = [];
  if (body.instructions != null && body.instructions.length > 0) messages.push({ role: 'system', parts: [{ type: 'text', text: body.instructions }] });
  const input = locateInput(body.input);
  messages.push(...convertResponsesInputItems(history.length === 0 ? input : [...history, ...input]));
  if (!messages.some((message) => message.role !== 'system' && message.role !== 'developer')) {
    throw new GatewayError('invalid_request', 'input: required; send the user message as input (a string or a list of items)', { param: 'input' });
  }

  const request: ChatRequest = { model: body.model, messages, stream: body.stream ?? false };
  if (body.max_output_tokens != null) request.maxTokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  const user = body.user ?? body.safety_identifier;
  if (user != null) request.user = user;
  if (body.include?.includes('message.output_text.logprobs') === true) request.logprobs = true;
  if (body.top_logprobs != null && body.top_logprobs > 0) {
    request.logprobs = true;
    request.topLogprobs = body.top_logprobs;
  }

  const tools = convertTools(body.tools);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = convertToolChoice(body.tool_choice, tools);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const responseFormat = convertTextFormat(body.text?.format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const reasoning = convertReasoning(body.reasoning);
  if (reasoning !== undefined) request.reasoning = reasoning;

  collectOpenAIUnmappedFields(body, KNOWN_RESPONSES_FIELDS, request);
  // Chat-API fields the Responses API spells differently or nests: the provider sends those its
  // protocol defines and declares the rest, as for the same fields on /v1/chat/completions.
  if (body.text?.verbosity != null || body.service_tier != null || body.prompt_cache_key != null) {
    const chatFields: Record<string, unknown> = {};
    if (body.text?.verbosity != null) chatFields['verbosity'] = body.text.verbosity;
    if (body.service_tier != null) chatFields['service_tier'] = body.service_tier;
    if (body.prompt_cache_key != null) chatFields['prompt_cache_key'] = body.prompt_cache_key;
    request.unmappedFields = { ...request.unmappedFields, ...chatFields };
  }

  if (body.truncation === 'auto') degraded.push({ field: 'truncation', reason: 'llmux sends the whole conversation; a conversation longer than the context window fails instead of being cut' });
  if (body.max_tool_calls != null) degraded.push({ field: 'max_tool_calls', reason: 'the limit applies to built-in tools, which llmux does not run' });
  return request;
}

function convertReasoning(reasoning: ResponsesRequest['reasoning']): ReasoningOptions | undefined {
  if (reasoning == null) return undefined;
  const converted: ReasoningOptions = {};
  if (reasoning.effort != null) converted.effort = toReasoningEffort(reasoning.effort);
  const summary = reasoning.summary ?? reasoning.generate_summary;
  if (summary != null && summary !== 'none') converted.summary = summary;
  return Object.keys(converted).length > 0 ? converted : undefined;
}

/** The request's own input as located items (`input[3]`). */
export function locateInput(input: ResponsesRequest['input']): LocatedInputItem[] {
  if (input == null) return [];
  if (typeof input === 'string') return [{ item: { type: 'message', role: 'user', content: input }, param: 'input' }];
  return input.map((item: ResponsesInputItem, index) => ({ item, param: `input[${index}]` }));
}

function refuseUnsupported(body: ResponsesRequest): void {
  for (const [field, reason] of UNSUPPORTED_FIELDS) {
    const value = body[field];
    if (value != null && value !== false) throw new GatewayError('invalid_request', `${field}: ${reason}`, { param: field, code: 'unsupported_parameter' });
  }
}

/**
 * Function tools become canonical tools. Built-in tools (web search, file search, code
 * interpreter, computer use, local shell, MCP, custom grammar tools) run on OpenAI's side; no
 * upstream behind llmux can run them, so they are refused by name rather than dropped.
 */
function convertTools(tools: ResponsesRequest['tools']): ToolDefinition[] | undefined {
  if (tools == null || tools.length === 0) return undefined;
  const builtIn = tools.flatMap((tool, index) => (tool.type === 'function' ? [] : [{ type: tool.type, index }]));
  const first = builtIn[0];
  if (first !== undefined) {
    const names = [...new Set(builtIn.map((tool) => tool.type))].join(', ');
    throw new GatewayError(
      'invalid_request',
      `tools[${first.index}].type: the built-in tool${builtIn.length > 1 ? 's' : ''} ${names} cannot run on llmux's upstreams; send function tools only` +
        (builtIn.some((tool) => tool.type === 'web_search') ? ' (Codex: set web_search = "disabled" in config.toml)' : ''),
      { param: `tools[${first.index}].type`, code: 'unsupported_tool' },
    );
  }
  return tools.map((tool, index) => {
    if (!('name' in tool) || typeof tool.name !== 'string') {
      throw new GatewayError('invalid_request', `tools[${index}].name: required`, { param: `tools[${index}].name` });
    }
    const definition: ToolDefinition = {
      name: tool.name,
      parameters: isRecord(tool.parameters) ? tool.parameters : { type: 'object', properties: {} },
    };
    if (typeof tool.description === 'string') definition.description = tool.description;
    if (typeof tool.strict === 'boolean') definition.strict = tool.strict;
    return definition;
  });
}

function convertToolChoice(choice: ResponsesRequest['tool_choice'], tools: ToolDefinition[] | undefined): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice;
  if (choice.type !== 'function' || !('name' in choice) || typeof choice.name !== 'string') {
    throw new GatewayError('invalid_request', `tool_choice.type: '${choice.type}' is not supported by llmux; use auto, none, required or a function`, {
      param: 'tool_choice.type',
    });
  }
  const name = choice.name;
  if (tools?.some((tool) => tool.name === name) !== true) {
    throw new GatewayError('invalid_request', `tool_choice.name: no tool named '${name}' is defined in tools`, { param: 'tool_choice.name' });
  }
  return { name };
}

function convertTextFormat(format: NonNullable<ResponsesRequest['text']>['format']): ResponseFormat | undefined {
  if (format == null) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const converted: ResponseFormat = { type: 'json-schema', schema: format.schema };
  if (format.name != null) converted.name = format.name;
  if (format.strict != null) converted.strict = format.strict;
  return converted;
}

/** OpenAI's levels above `high` (`xhigh`, `max`) are the canonical `max`. */
function toReasoningEffort(effort: NonNullable<NonNullable<ResponsesRequest['reasoning']>['effort']>): ReasoningEffort {
  return effort === 'xhigh' ? 'max' : effort;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
