import { GatewayError } from '../canonical/gateway-error.ts';
import { decodeLines } from './line-decoder.ts';

/**
 * Bytes → one parsed JSON value per non-blank line (Ollama's stream framing). A line that is not
 * JSON is the upstream's fault, so it fails as an `upstream` error rather than a bare SyntaxError.
 */
export async function* decodeNdjson(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  for await (const line of decodeLines(chunks)) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch (error) {
      const excerpt = line.length > 200 ? line.slice(0, 200) + '…' : line;
      throw new GatewayError('upstream', `upstream sent a line that is not JSON: ${excerpt}`, { cause: error });
    }
    yield value;
  }
}
