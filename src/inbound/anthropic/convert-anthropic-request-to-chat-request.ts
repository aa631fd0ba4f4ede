import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ReasoningEffort, ReasoningOptions } from '../../canonical/reasoning-options.ts';
import type { ProviderTool } from '../../canonical/provider-tool.ts';
import type { ToolChoice, ToolDefinition } from '../../canonical/tool-definition.ts';
import {
  ANTHROPIC_KNOWN_REQUEST_FIELDS,
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  type AnthropicThinking,
  type AnthropicTool,
  type AnthropicToolChoice,
} from './anthropic-messages-request-schema.ts';
import { convertAnthropicMessages } from './convert-anthropic-messages.ts';

/**
 * What only an Anthropic upstream can use, under `providerOptions.anthropic`: the client's
 * `thinking` as sent (adaptive thinking has no canonical twin), its `anthropic-beta` flags, its
 * `cache_control` breakpoints and its documents' `citations` and `context` by canonical position.
 * Other providers never read it; the breakpoints are also listed in `unmappedFields.cache_control`
 * and the document fields by wire path, so those providers declare them.
 */
export interface AnthropicProviderOptions {
  thinking?: AnthropicThinking;
  betas?: string[];
  cacheControl?: ReturnType<typeof convertAnthropicMessages>['breakpoints'];
  blockFields?: ReturnType<typeof convertAnthropicMessages>['documentFields'];
}

const EFFORTS: Record<string, ReasoningEffort> = { low: 'low', medium: 'medium', high: 'high', max: 'max', xhigh: 'max' };

/** Request headers, of which `anthropic-beta` shapes the answer. */
export type AnthropicRequestHeaders = Record<string, string | string[] | undefined>;

/** `POST /v1/messages` body → canonical ChatRequest. */
export function convertAnthropicRequestToChatRequest(body: AnthropicMessagesRequest, headers: AnthropicRequestHeaders = {}): ChatRequest {
  const converted = convertAnthropicMessages(body.system, body.messages);
  const request: ChatRequest = { model: body.model, messages: converted.messages, stream: body.stream === true };
  // Made when a first field goes in: most requests have neither.
  let unmapped: Record<string, unknown> | undefined;
  let anthropic: AnthropicProviderOptions | undefined;

  if (body.tools !== undefined && body.tools !== null && body.tools.length > 0) {
    const tools: ToolDefinition[] = [];
    const providerTools: ProviderTool[] = [];
    body.tools.forEach((tool, index) => {
      const type = tool.type ?? 'custom';
      if (type !== 'custom' || tool.input_schema === undefined) {
        // Anthropic's server and versioned tools (web_search_20250305, bash_20250124…): kept whole, with their cache_control.
        providerTools.push({ provider: 'anthropic', type, name: tool.name, index, definition: { ...tool } });
        return;
      }
      if (tool.cache_control !== undefined && tool.cache_control !== null) {
        converted.breakpoints.push({ tool: tools.length, cacheControl: tool.cache_control });
        converted.cachePaths.push(`tools[${index}]`);
      }
      tools.push(convertTool(tool));
    });
    if (tools.length > 0) request.tools = tools;
    if (providerTools.length > 0) request.providerTools = providerTools;
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const { choice, parallel } = convertToolChoice(body.tool_choice);
    request.toolChoice = choice;
    if (parallel !== undefined) request.parallelToolCalls = parallel;
  }
  const reasoning = convertThinking(body.thinking, body.output_config?.effort);
  if (reasoning !== undefined) request.reasoning = reasoning;
  if (body.thinking !== undefined && body.thinking !== null) (anthropic ??= {}).thinking = body.thinking;
  const format = body.output_config?.format ?? body.output_format;
  if (format !== undefined && format !== null) {
    if (format.type !== 'json_schema' || format.schema === undefined) throw invalid('output_config.format', `expected {"type":"json_schema","schema":{…}}`);
    request.responseFormat = { type: 'json-schema', schema: format.schema };
  }

  request.maxTokens = body.max_tokens;
  if (body.stop_sequences !== undefined && body.stop_sequences !== null && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.temperature !== undefined && body.temperature !== null) request.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) request.topP = body.top_p;
  if (body.top_k !== undefined && body.top_k !== null) request.topK = body.top_k;
  const user = body.metadata?.user_id;
  if (user !== undefined && user !== null) request.user = user;
  if (body.service_tier !== undefined && body.service_tier !== null) (unmapped ??= {}).service_tier = body.service_tier;
  for (const field in body) {
    if (!Object.hasOwn(body, field) || ANTHROPIC_KNOWN_REQUEST_FIELDS.has(field)) continue;
    const value = (body as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) (unmapped ??= {})[field] = value;
  }

  if (converted.breakpoints.length > 0) {
    (anthropic ??= {}).cacheControl = converted.breakpoints;
    (unmapped ??= {}).cache_control = converted.cachePaths;
  }
  for (const path of converted.anthropicOnly) (unmapped ??= {})[path] = true;
  if (converted.documentFields.length > 0) (anthropic ??= {}).blockFields = converted.documentFields;
  const beta = headers['anthropic-beta'];
  if (beta !== undefined) {
    const betas = betaFlags(beta);
    if (betas.length > 0) (anthropic ??= {}).betas = betas;
  }
  if (unmapped !== undefined) request.unmappedFields = unmapped;
  if (anthropic !== undefined) request.providerOptions = { anthropic: { ...anthropic } };
  return request;
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param, code: 'invalid_request_body' });
}

/** A client tool (a `custom` tool with an `input_schema`). */
function convertTool(tool: AnthropicTool): ToolDefinition {
  const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema ?? {} };
  if (tool.description !== undefined && tool.description !== null) definition.description = tool.description;
  if (tool.strict !== undefined && tool.strict !== null) definition.strict = tool.strict;
  return definition;
}

function convertToolChoice(choice: AnthropicToolChoice): { choice: ToolChoice; parallel?: boolean } {
  const parallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true ? false : undefined;
  const result = (value: ToolChoice) => (parallel === undefined ? { choice: value } : { choice: value, parallel });
  switch (choice.type) {
    case 'auto':
      return result('auto');
    case 'any':
      return result('required');
    case 'tool':
      return result({ name: choice.name });
    case 'none':
      return { choice: 'none' };
  }
}

/**
 * `thinking` → canonical reasoning: `enabled` keeps its budget (and an effort of the same size for
 * providers that take efforts), `adaptive` lets the model decide at the effort asked in
 * `output_config.effort`, `disabled` turns reasoning off.
 */
export function convertThinking(thinking: AnthropicThinking | null | undefined, effort: string | null | undefined): ReasoningOptions | undefined {
  const asked = effort === undefined || effort === null ? undefined : EFFORTS[effort];
  if (effort !== undefined && effort !== null && asked === undefined) throw invalid('output_config.effort', `expected one of ${Object.keys(EFFORTS).join(', ')}`);
  if (thinking === undefined || thinking === null) return asked === undefined ? undefined : { effort: asked };
  switch (thinking.type) {
    case 'enabled':
      return { budgetTokens: thinking.budget_tokens, effort: asked ?? effortForBudget(thinking.budget_tokens) };
    case 'disabled':
      return { effort: 'none' };
    default:
      return { effort: asked ?? 'high' };
  }
}

function effortForBudget(budget: number): ReasoningEffort {
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  return 'high';
}

/** `anthropic-beta: a,b` (possibly repeated) as a list of flags, none refused. */
function betaFlags(header: string | string[]): string[] {
  const values = Array.isArray(header) ? header : [header];
  return values.flatMap((value) => value.split(',')).map((flag) => flag.trim()).filter((flag) => flag.length > 0);
}

/** `POST /v1/messages/count_tokens` body → the ChatRequest whose prompt is counted. */
export function convertAnthropicCountRequestToChatRequest(body: AnthropicCountTokensRequest, headers: AnthropicRequestHeaders = {}): ChatRequest {
  const request = convertAnthropicRequestToChatRequest({ ...body, max_tokens: 1 }, headers);
  delete request.maxTokens;
  return request;
}
