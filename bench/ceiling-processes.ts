import { join } from 'node:path';
import { z } from 'zod';
import { BenchChild } from './bench-child.ts';
import { startLlmux, type LlmuxProcess } from './llmux-process.ts';
import { nodeSettingsOf } from './measure-bare-stream-memory.ts';

/** A server the ceiling section loads. */
export interface CeilingServer {
  origin: string;
  pid: number;
}

/** One round's servers: a new llmux and new bare proxies, stopped after the round. */
export interface CeilingProcesses {
  llmux: CeilingServer;
  /** bench/bare-proxy.ts: the ceiling llmux is held to. */
  bare: CeilingServer;
  /** The same proxy inside one Fastify route: what the framework alone adds. Undefined when it did not start. */
  bareFastify: CeilingServer | undefined;
  /** The bare proxy with the Node settings llmux runs with (bin/llmux.js's heap flags, read off this round's llmux). */
  bareTuned: (CeilingServer & { flags: string }) | undefined;
  stop(): Promise<void>;
}

export interface CeilingProcessOptions {
  repoRoot: string;
  benchDirectory: string;
  workDirectory: string;
  upstreamPort: number;
  /** The provider type the bench's main llmux started with. */
  providerType: string;
}

/**
 * Starts the ceiling's servers afresh. One process carries its own luck for life (where its code and
 * heap landed, what its JIT chose: up to a fifth of a first byte between identical processes), so
 * the ceiling section starts a new set for every round and its medians sample processes, not one
 * process each. The optional two (inside Fastify, with llmux's settings) are left out with a note
 * when they fail; llmux or the bare proxy failing fails the round.
 */
export async function startCeilingProcesses(options: CeilingProcessOptions, round: number, notes: string[]): Promise<CeilingProcesses> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    for (const server of started.reverse()) await server.stop();
  };
  const note = (text: string): void => {
    if (!notes.includes(text)) notes.push(text);
  };
  const bareArgs = ['--upstream-port', String(options.upstreamPort)];
  const startBare = async (label: string, args: readonly string[], settings?: { execArgv: readonly string[]; env: Record<string, string> }): Promise<CeilingServer> => {
    const child = new BenchChild(label, join(options.benchDirectory, 'bare-proxy.ts'), [...bareArgs, ...args], settings);
    started.push(child);
    const { port } = await child.receive(z.object({ type: z.literal('ready'), port: z.number().int() }), 10_000);
    return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
  };
  try {
    const llmux: LlmuxProcess = await startLlmux({ ...options, providerTypes: [options.providerType], name: `ceiling-${round}` });
    started.push(llmux);
    const bare = await startBare('bare proxy', []);
    let bareFastify: CeilingServer | undefined;
    try {
      bareFastify = await startBare('bare proxy in Fastify', ['--fastify']);
    } catch (error) {
      note(`bare proxy in Fastify not measured: ${error instanceof Error ? error.message : String(error)}`);
    }
    let bareTuned: CeilingProcesses['bareTuned'];
    const settings = nodeSettingsOf(llmux.pid);
    if (settings === undefined) note("bare proxy with llmux's settings not measured: llmux's command line could not be read");
    else {
      try {
        const server = await startBare("bare proxy with llmux's settings", [], { execArgv: settings.flags, env: settings.env });
        bareTuned = { ...server, flags: settings.flags.filter((flag) => flag !== '--expose-gc').join(' ') };
      } catch (error) {
        note(`bare proxy with llmux's settings not measured: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { llmux: { origin: llmux.origin, pid: llmux.pid }, bare, bareFastify, bareTuned, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
