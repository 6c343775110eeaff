/**
 * Variables in template text: positional `{{1}}`, `{{2}}` … or named `{{first_name}}`, and the
 * rules Meta applies to where they sit (reference §1.3).
 */
import type { ParameterFormat } from './template-types.js';

export interface VariableToken {
  /** What is between the braces, untrimmed. */
  inner: string;
  start: number;
  end: number;
}

const TOKEN = /\{\{([^{}]*)\}\}/g;
export const POSITIONAL_NAME = /^[1-9][0-9]*$/;
/** Named parameters: lowercase letters and underscores (reference §1.3). */
export const NAMED_NAME = /^[a-z_]+$/;

export function findVariables(text: string): VariableToken[] {
  const tokens: VariableToken[] = [];
  for (const match of text.matchAll(TOKEN)) {
    tokens.push({ inner: match[1] ?? '', start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

export interface VariableScan {
  /** Distinct variable names in order of first appearance ("1", "2" … or "first_name"). */
  names: string[];
  tokens: VariableToken[];
  /** Syntax problems: malformed tokens, stray braces, gaps in positional numbering. */
  errors: string[];
}

/** Parses the variables of one text under a parameter format and checks their syntax. */
export function scanVariables(text: string, format: ParameterFormat): VariableScan {
  const tokens = findVariables(text);
  const names: string[] = [];
  const errors: string[] = [];
  for (const token of tokens) {
    const ok = format === 'POSITIONAL' ? POSITIONAL_NAME.test(token.inner) : NAMED_NAME.test(token.inner);
    if (!ok) {
      errors.push(
        format === 'POSITIONAL'
          ? `Variable {{${token.inner}}} is not valid: positional variables are {{1}}, {{2}} … with no spaces.`
          : `Variable {{${token.inner}}} is not valid: named variables use lowercase letters and underscores.`,
      );
      continue;
    }
    if (!names.includes(token.inner)) names.push(token.inner);
  }
  let rest = text;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token) rest = rest.slice(0, token.start) + rest.slice(token.end);
  }
  if (rest.includes('{{') || rest.includes('}}')) errors.push('The text has unmatched "{{" or "}}".');
  if (format === 'POSITIONAL' && names.length > 0) {
    const numbers = names.map(Number).sort((a, b) => a - b);
    const gap = numbers.findIndex((n, i) => n !== i + 1);
    if (gap >= 0) {
      errors.push(`Positional variables must be numbered {{1}} to {{${numbers.length}}} without gaps; found ${numbers.map((n) => `{{${n}}}`).join(', ')}.`);
    }
  }
  return { names, tokens, errors };
}

/** True when a variable opens or closes the text, ignoring surrounding spaces and punctuation. */
export function hasDanglingVariable(text: string, tokens: VariableToken[]): boolean {
  if (tokens.length === 0) return false;
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const filler = /^[\s\p{P}]*$/u;
  return (first !== undefined && filler.test(text.slice(0, first.start))) || (last !== undefined && filler.test(text.slice(last.end)));
}

/** Pairs of variables with only whitespace between them ("{{1}}{{2}}", "{{1}} {{2}}"). */
export function adjacentVariables(text: string, tokens: VariableToken[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1];
    const b = tokens[i];
    if (a && b && /^\s*$/.test(text.slice(a.end, b.start))) pairs.push([a.inner, b.inner]);
  }
  return pairs;
}

/** Words of the text outside variables (anything with a letter or digit between spaces). */
export function wordCount(text: string, tokens: VariableToken[]): number {
  let rest = text;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token) rest = `${rest.slice(0, token.start)} ${rest.slice(token.end)}`;
  }
  return rest.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Meta refuses bodies with too many variables for their length. It does not publish the ratio;
 * integrators observe that x variables need at least 2x + 1 other words, which is what we apply.
 */
export function tooManyVariables(text: string, scan: VariableScan): boolean {
  return scan.names.length > 0 && wordCount(text, scan.tokens) < 2 * scan.names.length + 1;
}

/** Replaces each variable with its value (values keyed by variable name). */
export function hydrate(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(TOKEN, (whole, inner: string) => values.get(inner) ?? whole);
}
