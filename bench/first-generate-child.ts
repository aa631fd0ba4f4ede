import { parseArgs } from 'node:util';
import { startTestGateway } from '../test-support/start-test-gateway.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { preloadTextTokenizer } from '../src/tokens/text-tokenizer.ts';

/**
 * One fresh process: llmux in process with a scripted provider, then one non-raw `/api/generate`
 * (which encodes its `context` with the tokenizer) `--delay-ms` after listening; prints the
 * request's time in ms. The scripted provider answers at once, so the load the route starts has no
 * upstream time to hide behind: the worst case. `--preload` loads the tokenizer in the background
 * at start instead (what `llmux serve` did before the tokenizer was left out of idle memory). Run by
 * measure-tokenizer.ts.
 */
const { values } = parseArgs({ options: { preload: { type: 'boolean', default: false }, 'delay-ms': { type: 'string', default: '1000' } } });
const provider = new ScriptedProvider('scripted', [{ id: 'm' }]);
provider.script = textScript('hello');
const gateway = await startTestGateway({ models: [{ name: 'm', target: 'scripted/m' }] }, { adapters: [provider] });
if (values.preload) setImmediate(preloadTextTokenizer);
await new Promise((resolve) => setTimeout(resolve, Number(values['delay-ms'])));
const started = performance.now();
const response = await fetch(`${gateway.baseUrl}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'm', prompt: 'hi', stream: false }) });
const body = (await response.json()) as { context?: number[] };
const elapsed = performance.now() - started;
if (response.status !== 200 || !Array.isArray(body.context)) throw new Error(`unexpected answer ${response.status}`);
process.stdout.write(`${elapsed.toFixed(1)}\n`);
await gateway.close();
