import assert from 'node:assert/strict';
import type { ClientReading } from './inbound-protocol.contract.ts';
import { readNdjsonLines } from './read-ndjson-lines.ts';

/** Ollama's error shape (github:ollama/ollama api/client.go): `{"error":"…"}`. */
export function readOllamaError(json: unknown): string {
  const error = (json as { error?: unknown }).error;
  assert.equal(typeof error, 'string');
  return error as string;
}

/** Ollama's NDJSON stream: a line per piece, `done: true` on the last, an `{"error"}` line when it fails. */
export function readOllamaStream(body: string, contentType: string | null, piece: (line: Record<string, unknown>, reading: ClientReading) => void): ClientReading {
  const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: false };
  for (const line of readNdjsonLines(body, contentType)) {
    assert.equal(reading.complete, false, 'nothing after done');
    if (typeof line.error === 'string') {
      reading.error = line.error;
      continue;
    }
    piece(line, reading);
    if (line.done === true) reading.complete = true;
  }
  return reading;
}
