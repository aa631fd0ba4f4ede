/**
 * A config llmux cannot run with. Each problem is one line that names where it is
 * (`providers[1].type: expected one of …`) and never contains a secret, so the whole message can
 * be printed as it is, without a stack trace.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  /** Where the config came from: a file path, or `environment`. */
  readonly origin: string;

  constructor(origin: string, problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`invalid config (${origin}), ${count}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
    this.origin = origin;
  }
}
