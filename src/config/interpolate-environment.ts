import { isMap, isScalar, isSeq, parse, Scalar, type Document } from 'yaml';
import { expandEnvironmentReferences } from './expand-environment-references.ts';
import { formatConfigPath } from './format-config-path.ts';

/** A `${VAR}` with no default whose variable is not set, and where it was written. */
export interface UnsetReference {
  path: PropertyKey[];
  variable: string;
}

export interface InterpolationOutcome {
  unset: UnsetReference[];
  /** Malformed references, one line each with its path. */
  problems: string[];
  /** Every variable the document names (for the list of environment variables a file ignores). */
  referenced: Set<string>;
}

/**
 * Expands `${VAR}` references in every string value of a parsed YAML document, in place. Only
 * values are expanded (never keys), and after parsing, so a variable's text can never change
 * the YAML structure (a `#` or `: ` in a key stays part of the key). A plain scalar that is
 * exactly one reference (`port: ${PORT}`) takes the type its text has in YAML (number, boolean),
 * as if it had been written there; quoted scalars stay strings.
 */
export function interpolateEnvironment(document: Document, environment: Readonly<Record<string, string | undefined>>): InterpolationOutcome {
  const outcome: InterpolationOutcome = { unset: [], problems: [], referenced: new Set() };
  visit(document.contents, [], environment, outcome);
  return outcome;
}

function visit(node: unknown, path: PropertyKey[], environment: Readonly<Record<string, string | undefined>>, outcome: InterpolationOutcome): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      visit(pair.value, [...path, String(key)], environment, outcome);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => visit(item, [...path, index], environment, outcome));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
    const expanded = expandEnvironmentReferences(node.value, environment);
    for (const variable of expanded.unset) outcome.unset.push({ path, variable });
    for (const variable of expanded.referenced) outcome.referenced.add(variable);
    for (const problem of expanded.problems) outcome.problems.push(`${formatConfigPath(path)}: ${problem}`);
    node.value = expanded.wholeReference && node.type === Scalar.PLAIN ? typedScalar(expanded.value) : expanded.value;
  }
}

function typedScalar(text: string): string | number | boolean {
  if (text.trim() === '') return text;
  try {
    const value: unknown = parse(text);
    return typeof value === 'number' || typeof value === 'boolean' ? value : text;
  } catch {
    return text;
  }
}
