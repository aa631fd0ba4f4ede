/** A model each kind of route is tried with: an OpenAI-compatible upstream, a Poe bot, an in-process provider. */
export const FUZZ_MODELS = {
  chat: ['cerebras/llama3.1-8b', 'poebot/EchoBot', 'scripted/m'],
  embed: ['scripted/m', 'cerebras/llama3.1-8b'],
  image: ['scripted/m'],
  show: ['scripted/m', 'cerebras/llama3.1-8b'],
} as const;

/** Whose error shape a route answers in (check-fuzz-answer.ts knows each). */
export type FuzzProtocol = 'openai' | 'ollama' | 'anthropic';

export interface FuzzRoute {
  path: string;
  /** Whose error shape every 4xx must have. */
  protocol: FuzzProtocol;
  /** Valid requests the mutations start from; `model` is filled in from `models`. */
  seeds: readonly Record<string, unknown>[];
  models: readonly string[];
}

const tool = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const openAIMessages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
  { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
];
const ollamaMessages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Paris?' },
  { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
  { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
];

/**
 * Every ingress route the fuzz suite drives, one line each: a new route is one more entry, with
 * its protocol's error shape in check-fuzz-answer.ts.
 */
export const FUZZ_ROUTES: readonly FuzzRoute[] = [
  { path: '/v1/chat/completions', protocol: 'openai', models: FUZZ_MODELS.chat, seeds: [{ messages: [{ role: 'user', content: 'hi' }] }, { messages: openAIMessages, tools: [tool], tool_choice: 'auto', stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 50 }, { messages: [{ role: 'user', content: 'json' }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'number' } } } } }, seed: 1, stop: ['\n'] }] },
  { path: '/v1/completions', protocol: 'openai', models: FUZZ_MODELS.chat, seeds: [{ prompt: 'Once upon', max_tokens: 20 }, { prompt: ['a', 'b'], stream: true, suffix: 'end', temperature: 1 }] },
  { path: '/v1/embeddings', protocol: 'openai', models: FUZZ_MODELS.embed, seeds: [{ input: 'hello' }, { input: ['a', 'b'], encoding_format: 'base64', dimensions: 2 }] },
  { path: '/v1/images/generations', protocol: 'openai', models: FUZZ_MODELS.image, seeds: [{ prompt: 'a cat', size: '1024x1024', n: 1 }, { prompt: 'a dog', response_format: 'url', quality: 'high' }] },
  { path: '/v1/responses', protocol: 'openai', models: FUZZ_MODELS.chat, seeds: [{ input: 'hi' }, { input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] }], instructions: 'Be brief.', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }], stream: true, max_output_tokens: 50 }, { input: 'json', text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: { a: { type: 'number' } } } } }, store: false }] },
  { path: '/api/chat', protocol: 'ollama', models: FUZZ_MODELS.chat, seeds: [{ messages: [{ role: 'user', content: 'hi' }], stream: false }, { messages: ollamaMessages, tools: [tool], options: { temperature: 0.1, num_predict: 20, stop: ['x'] }, think: true, keep_alive: '5m' }, { messages: [{ role: 'user', content: 'json' }], format: { type: 'object', properties: { a: { type: 'string' } } }, stream: false }] },
  { path: '/api/generate', protocol: 'ollama', models: FUZZ_MODELS.chat, seeds: [{ prompt: 'Why is the sky blue?', stream: false }, { prompt: 'continue', system: 'Be brief.', context: [1, 2, 3], options: { seed: 3, top_k: 5 }, format: 'json' }, { prompt: 'raw', raw: true, stream: true, suffix: 'x' }] },
  { path: '/api/embed', protocol: 'ollama', models: FUZZ_MODELS.embed, seeds: [{ input: 'hello' }, { input: ['a', 'b'], truncate: true, dimensions: 2, keep_alive: 0 }] },
  { path: '/api/embeddings', protocol: 'ollama', models: FUZZ_MODELS.embed, seeds: [{ prompt: 'hello' }, { prompt: 'x', options: { temperature: 0 } }] },
  { path: '/api/show', protocol: 'ollama', models: FUZZ_MODELS.show, seeds: [{}, { verbose: true }] },
  { path: '/v1/messages', protocol: 'anthropic', models: FUZZ_MODELS.chat, seeds: [{ max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }, { max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] }, { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }], stream: true, temperature: 0.5 }] },
];
