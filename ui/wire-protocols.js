/**
 * The four client protocols as the playground speaks them: how a conversation becomes a request
 * body, and how each streamed message adds to the answer. `turns`: [{ role, text, image? }] where
 * image is { mediaType, base64 }; `tools`: OpenAI-style [{ type:'function', function:{ name, description, parameters } }].
 */
export const PROTOCOLS = {
  openai: {
    label: 'OpenAI chat completions',
    path: '/v1/chat/completions',
    framing: 'sse',
    headers: (key) => (key ? { authorization: `Bearer ${key}` } : {}),
    body({ model, system, turns, tools, stream }) {
      const messages = [];
      if (system) messages.push({ role: 'system', content: system });
      for (const turn of turns) {
        if (!turn.image) messages.push({ role: turn.role, content: turn.text });
        else messages.push({ role: turn.role, content: [{ type: 'text', text: turn.text }, { type: 'image_url', image_url: { url: `data:${turn.image.mediaType};base64,${turn.image.base64}` } }] });
      }
      return { model, messages, stream, ...(stream ? { stream_options: { include_usage: true } } : {}), ...(tools.length ? { tools } : {}) };
    },
    read(message, answer) {
      for (const choice of message.choices ?? []) {
        const delta = choice.delta ?? choice.message ?? {};
        if (delta.content) answer.text += delta.content;
        if (delta.reasoning_content) answer.reasoning += delta.reasoning_content;
        for (const call of delta.tool_calls ?? []) addToolCall(answer, call.index ?? 0, call.function?.name, call.function?.arguments);
        if (choice.finish_reason) answer.finish = choice.finish_reason;
      }
      if (message.usage) answer.usage = { input: message.usage.prompt_tokens, output: message.usage.completion_tokens };
    },
  },
  responses: {
    label: 'OpenAI Responses',
    path: '/v1/responses',
    framing: 'sse',
    headers: (key) => (key ? { authorization: `Bearer ${key}` } : {}),
    body({ model, system, turns, tools, stream }) {
      const input = turns.map((turn) => ({
        role: turn.role,
        content: [
          { type: turn.role === 'assistant' ? 'output_text' : 'input_text', text: turn.text },
          ...(turn.image ? [{ type: 'input_image', image_url: `data:${turn.image.mediaType};base64,${turn.image.base64}` }] : []),
        ],
      }));
      return { model, input, stream, ...(system ? { instructions: system } : {}), ...(tools.length ? { tools: tools.map((tool) => ({ type: 'function', ...tool.function })) } : {}) };
    },
    read(message, answer) {
      if (message.type === 'response.output_text.delta') answer.text += message.delta ?? '';
      else if (message.type === 'response.reasoning_summary_text.delta' || message.type === 'response.reasoning_text.delta') answer.reasoning += message.delta ?? '';
      else if (message.type === 'response.output_item.added' && message.item?.type === 'function_call') addToolCall(answer, message.output_index ?? 0, message.item.name, '');
      else if (message.type === 'response.function_call_arguments.delta') addToolCall(answer, message.output_index ?? 0, undefined, message.delta);
      const response = message.type === 'response.completed' || message.type === 'response.incomplete' ? message.response : message.object === 'response' ? message : undefined;
      if (response) {
        answer.finish = response.status;
        if (response.usage) answer.usage = { input: response.usage.input_tokens, output: response.usage.output_tokens };
        if (!answer.text && !message.type) answer.text = (response.output ?? []).flatMap((item) => item.content ?? []).map((part) => part.text ?? '').join('');
      }
    },
  },
  anthropic: {
    label: 'Anthropic messages',
    path: '/v1/messages',
    framing: 'sse',
    headers: (key) => ({ 'anthropic-version': '2023-06-01', ...(key ? { 'x-api-key': key } : {}) }),
    body({ model, system, turns, tools, stream }) {
      const messages = turns.map((turn) => ({
        role: turn.role,
        content: [...(turn.image ? [{ type: 'image', source: { type: 'base64', media_type: turn.image.mediaType, data: turn.image.base64 } }] : []), { type: 'text', text: turn.text }],
      }));
      return { model, max_tokens: 1024, messages, stream, ...(system ? { system } : {}), ...(tools.length ? { tools: tools.map((tool) => ({ name: tool.function.name, description: tool.function.description, input_schema: tool.function.parameters })) } : {}) };
    },
    read(message, answer) {
      if (message.type === 'content_block_start' && message.content_block?.type === 'tool_use') addToolCall(answer, message.index ?? 0, message.content_block.name, '');
      if (message.type === 'content_block_delta') {
        if (message.delta?.type === 'text_delta') answer.text += message.delta.text;
        else if (message.delta?.type === 'thinking_delta') answer.reasoning += message.delta.thinking;
        else if (message.delta?.type === 'input_json_delta') addToolCall(answer, message.index ?? 0, undefined, message.delta.partial_json);
      }
      if (message.type === 'message_start' && message.message?.usage) answer.usage = { input: message.message.usage.input_tokens, output: message.message.usage.output_tokens ?? 0 };
      if (message.type === 'message_delta') {
        if (message.delta?.stop_reason) answer.finish = message.delta.stop_reason;
        if (message.usage) answer.usage = { input: message.usage.input_tokens ?? answer.usage?.input, output: message.usage.output_tokens };
      }
      if (message.type === 'message') {
        answer.text = (message.content ?? []).filter((part) => part.type === 'text').map((part) => part.text).join('');
        answer.finish = message.stop_reason;
        if (message.usage) answer.usage = { input: message.usage.input_tokens, output: message.usage.output_tokens };
      }
    },
  },
  ollama: {
    label: 'Ollama chat',
    path: '/api/chat',
    framing: 'ndjson',
    headers: (key) => (key ? { authorization: `Bearer ${key}` } : {}),
    body({ model, system, turns, tools, stream }) {
      const messages = [];
      if (system) messages.push({ role: 'system', content: system });
      for (const turn of turns) messages.push({ role: turn.role, content: turn.text, ...(turn.image ? { images: [turn.image.base64] } : {}) });
      return { model, messages, stream, ...(tools.length ? { tools } : {}) };
    },
    read(message, answer) {
      if (message.message?.content) answer.text += message.message.content;
      if (message.message?.thinking) answer.reasoning += message.message.thinking;
      for (const call of message.message?.tool_calls ?? []) addToolCall(answer, answer.toolCalls.length, call.function?.name, JSON.stringify(call.function?.arguments ?? {}));
      if (message.done) {
        answer.finish = message.done_reason;
        answer.usage = { input: message.prompt_eval_count, output: message.eval_count };
      }
    },
  },
};

function addToolCall(answer, index, name, argumentsDelta) {
  const call = (answer.toolCalls[index] ??= { name: '', arguments: '' });
  if (name) call.name = name;
  if (argumentsDelta) call.arguments += argumentsDelta;
}

/** Splits a streamed body into messages: SSE `data:` lines or NDJSON lines; yields parsed JSON. */
export function* messagesIn(framing, text) {
  if (framing === 'ndjson') {
    for (const line of text.split('\n')) if (line.trim()) yield JSON.parse(line);
    return;
  }
  for (const block of text.split('\n\n')) {
    const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
    if (data && data !== '[DONE]') yield JSON.parse(data);
  }
}
