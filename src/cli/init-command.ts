import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SAMPLE_GATEWAY_CONFIG } from '../config/sample-gateway-config.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';

export interface InitFlags {
  force?: boolean;
  /** Where to write; `./llmux.yaml` by default. */
  config?: string;
}

/** `llmux init`: writes the commented sample config, never over an existing file without --force. */
export async function initCommand(flags: InitFlags, context: CliContext): Promise<void> {
  const path = resolve(context.cwd, flags.config ?? 'llmux.yaml');
  try {
    await writeFile(path, SAMPLE_GATEWAY_CONFIG, { flag: flags.force === true ? 'w' : 'wx' });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'EEXIST') throw new CliFailure(`${path} already exists; use --force to overwrite it`);
    throw new CliFailure(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  context.print(`wrote ${path}`);
  context.print('next: set CEREBRAS_API_KEY and/or POE_API_KEY (or edit the file), check it with `npx llmux check`, then `npm start`');
}
