import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { ollamaChatRequestSchema } from './ollama-chat-request-schema.ts';
import { ollamaGenerateRequestSchema } from './ollama-generate-request-schema.ts';
import { parseOllamaBody } from './parse-ollama-body.ts';

function failure(body: unknown, schema: typeof ollamaChatRequestSchema | typeof ollamaGenerateRequestSchema = ollamaChatRequestSchema): string {
  try {
    parseOllamaBody(schema, body, schema === ollamaChatRequestSchema ? 'ChatRequest' : 'GenerateRequest');
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected the body to be refused');
}

describe('parseOllamaBody', () => {
  it('answers an absent body as Ollama does', () => {
    assert.equal(failure(undefined), 'missing request body');
  });

  it('words type errors like encoding/json, naming the field', () => {
    assert.equal(failure({ model: 'm', messages: 'hi' }), 'json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message');
    assert.equal(failure({ model: 7 }), 'json: cannot unmarshal number into Go struct field ChatRequest.model of type string');
    assert.equal(failure({ model: 'm', stream: 'yes' }), 'json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool');
    assert.equal(
      failure({ model: 'm', messages: [{ role: 'user', content: 5 }] }),
      'json: cannot unmarshal number into Go struct field Message.messages.content of type string',
    );
    assert.equal(failure({ model: 'm', messages: ['hi'] }), 'json: cannot unmarshal string into Go struct field ChatRequest.messages of type api.Message');
    assert.equal(
      failure({ model: 'm', prompt: 'p', images: [1] }, ollamaGenerateRequestSchema),
      'json: cannot unmarshal number into Go struct field GenerateRequest.images of type api.ImageData',
    );
    assert.equal(
      failure({ model: 'm', tools: [{ type: 'function', function: { name: 3 } }] }),
      'json: cannot unmarshal number into Go struct field ToolFunction.tools.function.name of type string',
    );
  });

  it('refuses a body that is not an object', () => {
    assert.equal(failure(['x']), 'json: cannot unmarshal array into Go value of type api.ChatRequest');
    assert.equal(failure('x'), 'json: cannot unmarshal string into Go value of type api.ChatRequest');
  });

  it('names a missing required field', () => {
    assert.equal(failure({ model: 'm', messages: [{ content: 'x' }] }), 'missing required field "messages[0].role"');
  });

  it('ignores unknown fields and takes null as absent', () => {
    const parsed = parseOllamaBody(ollamaChatRequestSchema, { model: 'm', messages: null, mystery: 1, options: null }, 'ChatRequest');
    assert.equal(parsed.model, 'm');
    assert.equal(parsed.messages, null);
    assert.equal('mystery' in parsed, false);
    assert.deepEqual(parseOllamaBody(ollamaChatRequestSchema, null, 'ChatRequest'), {});
  });
});
