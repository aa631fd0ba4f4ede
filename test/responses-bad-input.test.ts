import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const USER = { role: 'user', content: 'hi' };

describe('the Responses API refuses bad input with a 400 in OpenAI shape naming the field', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'model-a' }]);
    provider.script = textScript('still here');
    gateway = await startTestGateway({}, { adapters: [provider] });
  });
  after(() => gateway.close());

  async function post(body: string): Promise<{ status: number; body: OpenAIErrorBody }> {
    const response = await fetch(`${gateway.baseUrl}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as OpenAIErrorBody };
  }

  const cases: [string, unknown, string, string | null][] = [
    ['malformed JSON', '{"model":"model-a","input":[', 'request body is not valid JSON', null],
    ['a missing model', { input: 'hi' }, 'model: required', 'model'],
    ['no input at all', { model: 'model-a' }, 'input: required', 'input'],
    ['an unknown item type', { model: 'model-a', input: [USER, { type: 'computer_call_output', call_id: 'c' }] }, 'input[1].type: expected one of message, function_call, function_call_output, reasoning, item_reference', 'input[1].type'],
    ['an unknown content part', { model: 'model-a', input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] }, 'input[0].content[0].type: expected one of', 'input[0].content[0].type'],
    ['an unknown role', { model: 'model-a', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role: expected one of user, assistant, system, developer', 'input[0].role'],
    [
      'a function_call_output without its call',
      { model: 'model-a', input: [USER, { type: 'function_call_output', call_id: 'call_missing', output: '42' }] },
      "input[1].call_id: no function_call with call_id 'call_missing' comes before this function_call_output",
      'input[1].call_id',
    ],
    ['a function_call without arguments', { model: 'model-a', input: [USER, { type: 'function_call', call_id: 'c1', name: 'f' }] }, 'input[1].arguments: required', 'input[1].arguments'],
    ['built-in tools', { model: 'model-a', input: 'hi', tools: [{ type: 'function', name: 'f' }, { type: 'web_search' }, { type: 'local_shell' }] }, 'tools[1].type: the built-in tools web_search, local_shell cannot run', 'tools[1].type'],
    ['a tool_choice naming no tool', { model: 'model-a', input: 'hi', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'function', name: 'g' } }, "tool_choice.name: no tool named 'g'", 'tool_choice.name'],
    ['background mode', { model: 'model-a', input: 'hi', background: true }, 'background: background responses are not supported', 'background'],
    ['an image given by file id', { model: 'model-a', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[0].image_url: required', 'input[0].content[0].image_url'],
    [
      'an image in a tool result',
      { model: 'model-a', input: [USER, { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] },
      'input[2].output[0]: input_image in a function_call_output is not supported',
      'input[2].output[0].type',
    ],
    ['max_output_tokens of zero', { model: 'model-a', input: 'hi', max_output_tokens: 0 }, 'max_output_tokens: must be greater than 0', 'max_output_tokens'],
  ];

  for (const [name, body, message, param] of cases) {
    it(`answers ${name} with 400`, async () => {
      const answer = await post(typeof body === 'string' ? body : JSON.stringify(body));
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.type, 'invalid_request_error');
      assert.ok(answer.body.error.message.startsWith(message), answer.body.error.message);
      assert.equal(answer.body.error.param, param);
    });
  }

  it('answers an unknown response id with a 404 naming it, on every route', async () => {
    for (const [method, path] of [['GET', '/v1/responses/resp_nope'], ['DELETE', '/v1/responses/resp_nope'], ['GET', '/v1/responses/resp_nope/input_items'], ['GET', '/responses/resp_nope']] as const) {
      const response = await fetch(`${gateway.baseUrl}${path}`, { method });
      assert.equal(response.status, 404, `${method} ${path}`);
      const body = (await response.json()) as OpenAIErrorBody;
      assert.equal(body.error.message, "Response with id 'resp_nope' not found.");
      assert.equal(body.error.type, 'invalid_request_error');
    }
  });

  it('still serves after all of that, with and without /v1', async () => {
    for (const path of ['/v1/responses', '/responses']) {
      const response = await fetch(`${gateway.baseUrl}${path}`, { method: 'POST', body: JSON.stringify({ model: 'model-a', input: 'hi' }) });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { output: { content: { text: string }[] }[] };
      assert.equal(body.output[0]?.content[0]?.text, 'still here');
    }
  });
});
