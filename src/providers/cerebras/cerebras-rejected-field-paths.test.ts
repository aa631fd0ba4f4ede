import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { removeRejectedFields } from '../openai-compatible/remove-rejected-fields.ts';
import { cerebrasRejectedFieldPaths } from './cerebras-rejected-field-paths.ts';

// The body Cerebras answered in Alishahryar1/free-claude-code#1136 (zai-glm-4.7, two assistant turns).
const REAL_MESSAGE =
  "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported\nmessages.4.assistant.reasoning_content: property 'messages.4.assistant.reasoning_content' is unsupported";

describe('cerebrasRejectedFieldPaths', () => {
  it('reads every path Cerebras names in its message, ignoring param "validation_error"', () => {
    const error = new GatewayError('invalid_request', REAL_MESSAGE, { param: 'validation_error', code: 'wrong_api_format', upstreamStatus: 400 });
    assert.deepEqual(cerebrasRejectedFieldPaths(error), ['messages.2.assistant.reasoning_content', 'messages.4.assistant.reasoning_content']);
    const store = new GatewayError('unprocessable', "body.store: property 'body.store' is unsupported", { upstreamStatus: 422 });
    assert.deepEqual(cerebrasRejectedFieldPaths(store), ['body.store']);
    assert.deepEqual(cerebrasRejectedFieldPaths(new GatewayError('invalid_request', 'bad', { param: 'seed' })), ['seed']);
  });

  it('removes those fields from the body, by wire name, and leaves essential ones', () => {
    const body = {
      model: 'zai-glm-4.7',
      store: true,
      tools: [],
      messages: [
        { role: 'user' as const, content: 'a' },
        { role: 'assistant' as const, content: 'b', reasoning_content: 'r1' },
        { role: 'user' as const, content: 'c' },
        { role: 'assistant' as const, content: 'd', reasoning_content: 'r2' },
      ],
    };
    const paths = [...cerebrasRejectedFieldPaths(new GatewayError('invalid_request', REAL_MESSAGE.replaceAll('messages.2', 'messages.1').replaceAll('messages.4', 'messages.3'))), 'body.store', 'body.tools', 'messages.0.user.content'];
    assert.deepEqual(removeRejectedFields(body, paths), ['messages[1].reasoning_content', 'messages[3].reasoning_content', 'store']);
    assert.deepEqual(body.messages[1], { role: 'assistant', content: 'b' });
    assert.ok('tools' in body);
    assert.equal(body.messages[0]?.content, 'a');
  });
});
