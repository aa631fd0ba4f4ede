import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sampleGatewayConfig } from '../config/sample-gateway-config.ts';
import { discoverSetup } from './discover-setup.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';

export interface InitFlags {
  force?: boolean;
  /** Where to write; `./llmux.yaml` by default. */
  config?: string;
}

/**
 * `llmux init`: writes the commented sample config, never over an existing file without --force.
 * With CEREBRAS_API_KEY or POE_API_KEY set, it first asks those providers for their models and
 * writes aliases for models that exist, so no alias points at a retired model id.
 */
export async function initCommand(flags: InitFlags, context: CliContext): Promise<void> {
  const path = resolve(context.cwd, flags.config ?? 'llmux.yaml');
  // Refuse before asking any provider: the answer would be thrown away.
  if (flags.force !== true && (await stat(path).catch(() => undefined)) !== undefined) throw new CliFailure(`${path} already exists; use --force to overwrite it`);
  const discovered = await discoverSetup(context.environment, (line) => context.notice(line));
  try {
    await writeFile(path, sampleGatewayConfig(discovered), { flag: flags.force === true ? 'w' : 'wx' });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'EEXIST') throw new CliFailure(`${path} already exists; use --force to overwrite it`);
    throw new CliFailure(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  context.print(`wrote ${path}`);
  for (const alias of discovered?.aliases ?? []) context.print(`alias ${alias.name} → ${alias.target}`);
  context.print('next: set CEREBRAS_API_KEY and/or POE_API_KEY (or edit the file), check it with `npx llmux check`, then `npm start`');
}
