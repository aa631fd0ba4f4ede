import { FakeUpstreamServer } from './fake-upstream-server.ts';

const chunk = (choice: object, extra: object = {}): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm1', choices: [{ index: 0, finish_reason: null, ...choice }], ...extra })}\n\n`;

export interface HeldChatStreamUpstream {
  upstream: FakeUpstreamServer;
  /** Lets the stream being held finish: `lo`, the stop chunk with usage, `[DONE]`. */
  release(): void;
}

/**
 * An OpenAI-compatible upstream (model `m1`) whose chat stream sends `Hel`, then holds until
 * `release()` (or the caller hangs up): a stream that is in flight for as long as a test needs.
 */
export async function startHeldChatStreamUpstream(): Promise<HeldChatStreamUpstream> {
  let releaseHeld: () => void = () => {};
  const upstream = await FakeUpstreamServer.start();
  upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm1', object: 'model' }] });
  upstream.on('POST', '/v1/chat/completions', async (_call, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk({ delta: { role: 'assistant', content: 'Hel' } }));
    await new Promise<void>((resolve) => {
      releaseHeld = resolve;
      response.once('close', resolve);
    });
    if (response.destroyed) return;
    response.write(chunk({ delta: { content: 'lo' } }));
    response.write(chunk({ delta: {}, finish_reason: 'stop' }, { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
    response.end('data: [DONE]\n\n');
  });
  return { upstream, release: () => releaseHeld() };
}
