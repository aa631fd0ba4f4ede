import type { FinishReason } from '../../canonical/finish-reason.ts';

/**
 * OpenAI `finish_reason` → canonical. `stop` with tool calls made counts as a tool-call finish:
 * several servers (Ollama's OpenAI API, some vLLM parsers) report `stop` there, and clients
 * looping over tool calls look for `tool_calls`.
 */
export function mapOpenAICompatibleFinishReason(raw: string, madeToolCalls: boolean): FinishReason {
  switch (raw) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return madeToolCalls ? 'tool-calls' : 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
