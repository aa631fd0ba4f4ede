import { setImmediate as nextTurn } from 'node:timers/promises';
import { GatewayError } from '../canonical/gateway-error.ts';
import { splitLongRuns } from './split-long-runs.ts';

/**
 * The o200k tokenizer (gpt-tokenizer), for upstreams that report no usage and for Ollama's
 * `/api/generate` context. Linear time on any input: long runs are cut before BPE (see
 * splitLongRuns), and long texts are worked through in slices that give the event loop back in
 * between and stop when the request's signal fires.
 */
export interface TextTokenizer {
  count(text: string, signal?: AbortSignal): Promise<number>;
  encode(text: string, signal?: AbortSignal): Promise<number[]>;
  decode(tokens: readonly number[]): string;
}

interface GptTokenizer {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

/** Characters tokenized between two turns of the event loop. */
export const SLICE_CHARS = 32_768;

let loading: Promise<TextTokenizer> | undefined;

/** The tokenizer; the first call loads it (about 0.2–0.6 s), later calls share it. */
export function loadTextTokenizer(): Promise<TextTokenizer> {
  loading ??= import('gpt-tokenizer').then((module: GptTokenizer) => createTextTokenizer(module));
  return loading;
}

/**
 * Starts loading the tokenizer in the background, where a request will need it only after its
 * upstream has answered (generate's `context`, usage for an upstream that reports none): the load
 * then runs while the upstream works instead of after it. It is not loaded at start: it is about
 * 50 MB of an idle llmux's resident memory, and most configurations never need it. Free once
 * loading has begun.
 */
export function preloadTextTokenizer(): void {
  if (loading !== undefined) return;
  // A failure here surfaces again, with its request, when a route loads it.
  loadTextTokenizer().catch(() => {
    loading = undefined;
  });
}

function createTextTokenizer(module: GptTokenizer): TextTokenizer {
  return {
    async count(text, signal) {
      let total = 0;
      await forEachPiece(text, signal, (piece) => {
        total += module.countTokens(piece);
      });
      return total;
    },
    async encode(text, signal) {
      const tokens: number[] = [];
      await forEachPiece(text, signal, (piece) => {
        for (const token of module.encode(piece)) tokens.push(token);
      });
      return tokens;
    },
    decode: (tokens) => module.decode([...tokens]),
  };
}

async function forEachPiece(text: string, signal: AbortSignal | undefined, work: (piece: string) => void): Promise<void> {
  let sinceYield = 0;
  for (const piece of splitLongRuns(text)) {
    work(piece);
    sinceYield += piece.length;
    if (sinceYield >= SLICE_CHARS) {
      sinceYield = 0;
      await giveTurnBack(signal);
    }
  }
}

/**
 * Between two slices of tokenizing: lets the event loop run, then stops if the request went away.
 * Also for callers that count many texts each shorter than a slice (a prompt message by message).
 */
export async function giveTurnBack(signal: AbortSignal | undefined): Promise<void> {
  await nextTurn();
  if (signal?.aborted === true) throw new GatewayError('canceled', 'the client went away while its tokens were being counted');
}
