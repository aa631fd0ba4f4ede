/** What expanding one string found. */
export interface ExpansionResult {
  value: string;
  /** Variables referenced without a default that are not set (or set to ""). */
  unset: string[];
  /** Malformed references, described for a human. */
  problems: string[];
  /** Whether the string was exactly one reference and nothing else (`${PORT}`). */
  wholeReference: boolean;
  /** Every variable the string names, set or not. */
  referenced: string[];
}

const REFERENCE = /\$\$|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${VAR}` and `${VAR:-default}` from `environment`, as shells and docker compose do;
 * `$${…}` stays a literal `${…}`. An empty variable counts as unset: an empty API key or URL is
 * never what was meant. Defaults are literal text (no nested references).
 */
export function expandEnvironmentReferences(text: string, environment: Readonly<Record<string, string | undefined>>): ExpansionResult {
  const unset: string[] = [];
  const problems: string[] = [];
  const referenced: string[] = [];
  let references = 0;
  let wholeReference = false;
  const value = text.replace(REFERENCE, (match: string, inner: string | undefined, offset: number) => {
    if (match === '$$') return text[offset + 2] === '{' ? '$' : '$$';
    if (inner === undefined) {
      problems.push("'${' is not closed with '}'");
      return match;
    }
    references++;
    wholeReference = match.length === text.length;
    const separator = inner.indexOf(':-');
    const name = separator === -1 ? inner : inner.slice(0, separator);
    if (!NAME.test(name)) {
      problems.push(`'\${${inner}}' is not a valid variable reference (use \${NAME} or \${NAME:-default})`);
      return match;
    }
    referenced.push(name);
    const found = environment[name];
    if (found !== undefined && found !== '') return found;
    if (separator !== -1) return inner.slice(separator + 2);
    unset.push(name);
    return '';
  });
  return { value, unset, problems, wholeReference: wholeReference && references === 1, referenced };
}
