/**
 * Declarative environment reading: each server declares its variables once (name, parser,
 * default, description), and readConfig reports every problem at once, naming each variable,
 * instead of failing on the first. The same declarations render README's configuration table.
 */

/** One environment variable: how to parse it and what it is for. */
export interface Setting<T> {
  /** Parses the raw string; throws an Error whose message says what is wrong. */
  parse: (raw: string) => T;
  /** Used when the variable is unset or empty; undefined makes the variable required. */
  default?: string | undefined;
  /** When true and unset, the value is undefined rather than an error. */
  optional?: boolean;
  description: string;
}

export type Spec = Record<string, Setting<unknown>>;

export type ConfigOf<S extends Spec> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? (S[K]['optional'] extends true ? T | undefined : T) : never;
};

/** Thrown with every problem found; the CLI prints the message alone, without a stack. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function readConfig<S extends Spec>(spec: S, env: Record<string, string | undefined>): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(spec)) {
    const given = env[name];
    const raw = given === undefined || given === '' ? setting.default : given;
    if (raw === undefined) {
      if (setting.optional) out[name] = undefined;
      else problems.push(`${name} is required: ${setting.description}`);
      continue;
    }
    try {
      out[name] = setting.parse(raw);
    } catch (err) {
      problems.push(`${name}=${JSON.stringify(given ?? raw)} is invalid: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** Renders a spec as a Markdown table for README. */
export function describeConfig(spec: Spec): string {
  const rows = Object.entries(spec).map(
    ([name, s]) => `| \`${name}\` | ${s.default === undefined ? (s.optional ? '—' : 'required') : `\`${s.default}\``} | ${s.description} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
