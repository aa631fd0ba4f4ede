import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import type { Environment } from './config-from-environment.ts';
import { interpolateEnvironment, type UnsetReference } from './interpolate-environment.ts';
import { describeUnset } from './describe-unset-variable.ts';

const YAML_ERRORS_SHOWN = 3;

export interface ParsedConfigFile {
  input: unknown;
  problems: string[];
  warnings: string[];
  /** Provider index → unset `${VAR}`s in its api_key/api_keys. */
  unsetKeys: Map<number, UnsetReference[]>;
  /** Environment variables the file names in `${VAR}` references. */
  referenced: ReadonlySet<string>;
  /** Top-level settings the file gives (to tell a file's `listen:` from the default). */
  settings: ReadonlySet<string>;
}

/** A config file's text → its settings, with `${VAR}` interpolated and every problem collected. */
export function parseConfigFile(text: string, path: string, environment: Environment): ParsedConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // yaml's own messages end with a source excerpt, which may hold a secret: keep the first line.
  const where = (offset: number | undefined): string => {
    const position = lineCounter.linePos(offset ?? 0);
    return `line ${position.line}, column ${position.col}`;
  };
  const firstLine = (message: string): string => (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  if (document.errors.length > 0) {
    // After the first syntax error the parser mostly reports its consequences.
    const shown = document.errors.slice(0, YAML_ERRORS_SHOWN).map((error) => `${where(error.pos[0])}: ${firstLine(error.message)}`);
    const more = document.errors.length - shown.length;
    throw new ConfigError(path, more > 0 ? [...shown, `(${more} more YAML errors after these)`] : shown);
  }
  const warnings = document.warnings.map((warning) => `${where(warning.pos[0])}: ${firstLine(warning.message)}`);
  const interpolation = interpolateEnvironment(document, environment);
  const problems = [...interpolation.problems];
  const unsetKeys = new Map<number, UnsetReference[]>();
  for (const reference of interpolation.unset) {
    const [section, index, field] = reference.path;
    if (section === 'providers' && typeof index === 'number' && (field === 'api_key' || (field === 'api_keys' && reference.path.length === 4))) {
      unsetKeys.set(index, [...(unsetKeys.get(index) ?? []), reference]);
    } else {
      problems.push(describeUnset(reference));
    }
  }
  const input: unknown = document.toJS();
  if (input !== null && input !== undefined && (typeof input !== 'object' || Array.isArray(input))) {
    problems.push('(top level): expected a mapping of settings (listen:, providers:, models:, …)');
  }
  const mapping = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
  return { input: mapping, problems, warnings, unsetKeys, referenced: interpolation.referenced, settings: new Set(Object.keys(mapping)) };
}
