import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertOpenAICompatibleCompletion } from './convert-openai-compatible-completion.ts';
import { resolveOpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { replayChatResponse } from '../replay-chat-response.ts';
import { responseReasoning, responseText, responseToolCalls } from '../../canonical/chat-response.ts';

const generic = resolveOpenAICompatibleDialect({});

describe('convertOpenAICompatibleCompletion', () => {
  it('reads text, reasoning, tool calls, finish reason and usage', () => {
    const response = convertOpenAICompatibleCompletion(
      {
        id: 'chatcmpl-9f',
        object: 'chat.completion',
        created: 1754550000,
        model: 'gpt-oss-120b',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: { role: 'assistant', content: null, reasoning: 'Use the tool.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }, { type: 'function', function: { name: 'g' } }] },
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 25, total_tokens: 37, completion_tokens_details: { reasoning_tokens: 15 }, prompt_tokens_details: { cached_tokens: 4 } },
      },
      generic,
    );
    assert.equal(responseText(response), '');
    assert.equal(responseReasoning(response), 'Use the tool.');
    assert.equal(response.finishReason, 'tool-calls');
    assert.equal(response.rawFinishReason, 'tool_calls');
    assert.deepEqual(responseToolCalls(response)[0], { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' });
    assert.equal(responseToolCalls(response)[1]?.name, 'g');
    assert.equal(responseToolCalls(response)[1]?.arguments, '');
    assert.match(responseToolCalls(response)[1]?.id ?? '', /^call_[0-9a-f]{24}$/);
    assert.deepEqual(response.usage, {
      input: { total: 12, cacheRead: 4 },
      output: { total: 25, reasoning: 15 },
      source: 'upstream',
      raw: { prompt_tokens: 12, completion_tokens: 25, total_tokens: 37, completion_tokens_details: { reasoning_tokens: 15 }, prompt_tokens_details: { cached_tokens: 4 } },
    });
  });

  it("keeps the upstream's service_tier and system_fingerprint, and gives them back when the answer is replayed as a stream", () => {
    const body = { id: 'c', object: 'chat.completion', created: 1, model: 'm', service_tier: 'flex', system_fingerprint: 'fp_44709d6fcb', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi' } }] };
    const response = convertOpenAICompatibleCompletion(body, generic);
    assert.equal(response.systemFingerprint, 'fp_44709d6fcb');
    assert.equal(response.serviceTier, 'flex');
    assert.deepEqual(replayChatResponse(response)[0], { type: 'response-start', id: 'c', model: 'm', created: 1, serviceTier: 'flex', systemFingerprint: 'fp_44709d6fcb' });
    // Through the schema (a tool call is not a plain answer) it is kept the same way.
    const withTool = { ...body, choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] } }] };
    assert.equal(convertOpenAICompatibleCompletion(withTool, generic).systemFingerprint, 'fp_44709d6fcb');
    const unnamed = convertOpenAICompatibleCompletion({ ...body, service_tier: '', system_fingerprint: 7 }, generic);
    assert.equal(unnamed.systemFingerprint, undefined);
    assert.equal(unnamed.serviceTier, undefined);
  });

  it('names the stop sequence only where the server says which matched (vLLM `stop_reason`)', () => {
    const stopped = (choice: Record<string, unknown>) => convertOpenAICompatibleCompletion({ choices: [{ message: { content: 'One, two' }, ...choice }] }, generic).stopSequence;
    assert.equal(stopped({ finish_reason: 'stop', stop_reason: ', three' }), ', three');
    assert.equal(stopped({ finish_reason: 'stop', stop_reason: 128009 }), undefined);
    assert.equal(stopped({ finish_reason: 'length', stop_reason: ', three' }), undefined);
    assert.equal(stopped({ finish_reason: 'stop' }), undefined);
  });

  it('splits <think> content where the dialect asks, and reads dialect extras', () => {
    const dialect = resolveOpenAICompatibleDialect({
      splitThinkTags: true,
      decodeExtra: () => ({ timing: { queueMs: 1, promptMs: 2, completionMs: 3, totalMs: 6, source: 'upstream' } }),
    });
    const response = convertOpenAICompatibleCompletion({ choices: [{ finish_reason: 'stop', message: { content: '<think>\nplan\n</think>\n\nAnswer' } }] }, dialect);
    assert.equal(responseReasoning(response), 'plan');
    assert.equal(responseText(response), 'Answer');
    assert.deepEqual(response.timing, { queueMs: 1, promptMs: 2, completionMs: 3, totalMs: 6, source: 'upstream' });
    assert.equal(responseText(convertOpenAICompatibleCompletion({ choices: [{ finish_reason: 'stop', message: { content: '<think>x</think>y' } }] }, generic)), '<think>x</think>y');
  });

  it('picks the first choice, counts a missing finish with tool calls as tool-calls, and reads refusals', () => {
    const response = convertOpenAICompatibleCompletion(
      { choices: [{ index: 1, message: { content: 'other' } }, { index: 0, message: { content: '', refusal: 'I cannot.', tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] } }] },
      generic,
    );
    assert.equal(responseText(response), 'I cannot.');
    assert.equal(response.finishReason, 'tool-calls');
    assert.equal(response.rawFinishReason, undefined);
  });

  it('refuses bodies that are not completions', () => {
    assert.throws(() => convertOpenAICompatibleCompletion({ object: 'list' }, generic), /not a chat completion/);
    assert.throws(() => convertOpenAICompatibleCompletion({ choices: [] }, generic), /no choices/);
  });
});

describe('replayChatResponse', () => {
  it('turns a whole response into a well-formed stream', () => {
    assert.deepEqual(
      replayChatResponse({
        id: 'r',
        model: 'm',
        parts: [
          { type: 'reasoning', text: 'think' },
          { type: 'text', text: 'Hi' },
          { type: 'tool-call', id: 'c', name: 'f', arguments: '{}' },
        ],
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_calls',
        usage: { input: { total: 1 }, output: { total: 2 }, source: 'upstream' },
      }),
      [
        { type: 'response-start', id: 'r', model: 'm' },
        { type: 'reasoning-start', id: '0' },
        { type: 'reasoning-delta', id: '0', text: 'think' },
        { type: 'reasoning-end', id: '0' },
        { type: 'text-start', id: '1' },
        { type: 'text-delta', id: '1', text: 'Hi' },
        { type: 'text-end', id: '1' },
        { type: 'tool-call-start', id: '2', toolCallId: 'c', name: 'f' },
        { type: 'tool-call-delta', id: '2', argumentsDelta: '{}' },
        { type: 'tool-call-end', id: '2' },
        { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls', usage: { input: { total: 1 }, output: { total: 2 }, source: 'upstream' } },
      ],
    );
  });
});
