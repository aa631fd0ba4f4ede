import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { openAIChatRequestSchema } from './openai-chat-request-schema.ts';
import { formatPath, parseOpenAIRequestBody } from './parse-openai-request-body.ts';

function problem(body: unknown): { message: string; param: string | undefined } {
  try {
    parseOpenAIRequestBody(openAIChatRequestSchema, body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    return { message: error.message, param: error.param };
  }
  assert.fail('expected a validation error');
}

const user = { role: 'user', content: 'hi' };

describe('parseOpenAIRequestBody', () => {
  it('names an unknown role with the roles it accepts', () => {
    assert.deepEqual(problem({ model: 'm', messages: [user, user, { role: 'function', content: 'x' }] }), {
      message: 'messages[2].role: expected one of system, developer, user, assistant, tool',
      param: 'messages[2].role',
    });
  });

  it('says which fields are missing', () => {
    assert.deepEqual(problem({}), { message: 'model: required; messages: required', param: 'model' });
    assert.deepEqual(problem({ model: 'm', messages: [] }), { message: 'messages: must have at least 1 item', param: 'messages' });
  });

  it('words an exclusive lower bound as one', () => {
    assert.deepEqual(problem({ model: 'm', messages: [user], n: 0 }), { message: 'n: must be greater than 0', param: 'n' });
  });

  it('names wrong types, looking inside unions for what the client meant', () => {
    assert.deepEqual(problem({ model: 'm', messages: [user], temperature: 'hot' }), {
      message: 'temperature: expected number, received string',
      param: 'temperature',
    });
    assert.deepEqual(problem({ model: 'm', messages: [user], stop: 5 }), { message: 'stop: expected string or array, received number', param: 'stop' });
    assert.deepEqual(problem({ model: 'm', messages: [{ role: 'user', content: [{ type: 'picture' }] }] }), {
      message: 'messages[0].content[0].type: expected one of text, image_url, input_audio, file, refusal',
      param: 'messages[0].content[0].type',
    });
    assert.deepEqual(problem({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] }), {
      message: 'messages[0].content[0].text: expected string, received number',
      param: 'messages[0].content[0].text',
    });
    assert.deepEqual(problem({ model: 'm', messages: [user], temperature: 3 }), { message: 'temperature: must be at most 2', param: 'temperature' });
  });

  it('refuses a body that is not an object', () => {
    assert.equal(problem([1, 2]).message, 'request body must be a JSON object');
    assert.equal(problem(undefined).message, 'request body must be a JSON object');
  });

  it('keeps unknown top-level fields', () => {
    const parsed = parseOpenAIRequestBody(openAIChatRequestSchema, { model: 'm', messages: [user], custom: 1 });
    assert.equal(parsed.custom, 1);
  });

  it('formats paths as clients write them', () => {
    assert.equal(formatPath(['messages', 2, 'content', 0, 'image_url']), 'messages[2].content[0].image_url');
    assert.equal(formatPath([]), '');
  });
});
