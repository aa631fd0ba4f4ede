import { z } from 'zod';
import { createClientKeyInputSchema, updateClientKeyInputSchema } from '../admin/client-key-input-schemas.ts';
import { ClientKeyManager, KeyManagementError, type ClientKeyView } from '../admin/client-key-manager.ts';
import { formatConfigIssues } from '../config/format-config-issues.ts';
import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { openStateStore } from '../state/open-state-store.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { formatTable } from './format-table.ts';

export interface KeysFlags {
  config?: string;
  name?: string;
  models?: string;
  rpm?: string;
  tpm?: string;
  budget?: string;
  json?: boolean;
}

export type KeysAction = 'create' | 'list' | 'show' | 'update' | 'revoke';

/** `llmux keys create|list|show|update|revoke`: stored client keys, in the state database. */
export async function keysCommand(action: KeysAction, name: string | undefined, flags: KeysFlags, context: CliContext): Promise<void> {
  const loaded = await loadGatewayConfig({ ...(flags.config === undefined ? {} : { configPath: flags.config }), environment: context.environment, cwd: context.cwd });
  const state = await openStateStore(loaded.config, context.cwd).catch((error: unknown) => {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  });
  const configured = new Set(loaded.config.keys.map((key, index) => key.name ?? `key-${index + 1}`));
  const manager = new ClientKeyManager(state.keys, configured);
  try {
    switch (action) {
      case 'create': {
        const input = parse(createClientKeyInputSchema, { name: name ?? flags.name, ...limits(flags, false) });
        const { key, secret } = await manager.create(input);
        context.notice(`llmux: created key '${key.name}' (${describe(key)}); it is shown only this once:`);
        context.print(secret);
        return;
      }
      case 'list': {
        const keys = await manager.list();
        if (flags.json === true) context.print(JSON.stringify(keys, null, 2));
        else if (keys.length === 0) context.notice('llmux: no stored keys; create one with llmux keys create --name NAME');
        else context.print(formatTable(['NAME', 'PREFIX', 'STATUS', 'MODELS', 'RPM', 'TPM', 'BUDGET', 'CREATED'], keys.map(row)));
        return;
      }
      case 'show': {
        const key = await manager.show(required(name));
        context.print(flags.json === true ? JSON.stringify(key, null, 2) : formatTable(['NAME', 'PREFIX', 'STATUS', 'MODELS', 'RPM', 'TPM', 'BUDGET', 'CREATED'], [row(key)]));
        return;
      }
      case 'update': {
        const input = parse(updateClientKeyInputSchema, limits(flags, true));
        if (Object.keys(input).length === 0) throw new CliFailure('nothing to update: give --models, --rpm, --tpm or --budget (the value none removes a setting)');
        const key = await manager.update(required(name), input);
        context.notice(`llmux: updated key '${key.name}' (${describe(key)}); running servers use it within a second`);
        return;
      }
      case 'revoke': {
        const key = await manager.revoke(required(name));
        context.notice(`llmux: revoked key '${key.name}'; running servers refuse it within a second`);
        return;
      }
    }
  } catch (error) {
    if (error instanceof KeyManagementError) throw new CliFailure(error.message);
    throw error;
  } finally {
    await state.close();
  }
}

function required(name: string | undefined): string {
  if (name === undefined || name === '') throw new CliFailure('name the key: llmux keys <show|update|revoke> NAME');
  return name;
}

/** The limit flags as the input schemas take them; in an update, `none` removes one. */
function limits(flags: KeysFlags, update: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const none = (value: string): boolean => update && value.trim().toLowerCase() === 'none';
  if (flags.models !== undefined) result.models = none(flags.models) ? null : flags.models.split(',').map((model) => model.trim()).filter((model) => model !== '');
  for (const field of ['rpm', 'tpm'] as const) {
    const value = flags[field];
    if (value !== undefined) result[field] = none(value) ? null : /^\d+$/.test(value.trim()) ? Number(value) : value;
  }
  if (flags.budget !== undefined) result.budget = none(flags.budget) ? null : flags.budget;
  return result;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new CliFailure(formatConfigIssues(parsed.error.issues).map((issue) => `--${issue}`).join('; '));
  return parsed.data;
}

function describe(key: ClientKeyView): string {
  return [
    `models: ${key.models === null ? 'all' : key.models.join(', ')}`,
    `rpm: ${key.rpm ?? 'no limit'}`,
    `tpm: ${key.tpm ?? 'no limit'}`,
    `budget: ${key.budget ?? 'none'}`,
  ].join('; ');
}

function row(key: ClientKeyView): string[] {
  return [key.name, `${key.prefix}…`, key.status, key.models?.join(',') ?? 'all', String(key.rpm ?? '-'), String(key.tpm ?? '-'), key.budget ?? '-', key.created_at.slice(0, 16).replace('T', ' ')];
}
