import { isAbsolute, resolve } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import type { StateStore } from './state-store.ts';

/** The state store a config names: the embedded SQLite file (`state.sqlite`, from the working directory). */
export async function openStateStore(config: GatewayConfig, cwd: string): Promise<StateStore> {
  const path = config.state.sqlite === ':memory:' || isAbsolute(config.state.sqlite) ? config.state.sqlite : resolve(cwd, config.state.sqlite);
  const { openSqliteStateStore } = await import('./sqlite/open-sqlite-state-store.ts');
  try {
    return await openSqliteStateStore(path);
  } catch (error) {
    throw new Error(`cannot open the state database ${path}: ${error instanceof Error ? error.message : String(error)} (state.sqlite in the config moves it)`, { cause: error });
  }
}
