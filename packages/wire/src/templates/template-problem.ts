/**
 * What is wrong with a template request, and how Meta says it: code 100 with an `error_subcode`
 * in the 2388xxx range, `error_user_title` and `error_user_msg` (reference §1.3, §3.1).
 */
import { ErrorCode } from '../errors/catalogue.js';
import { GraphError } from '../errors/graph-error.js';

/**
 * Subcodes. 2388023 and 2388024 are confirmed in the reference; the others are the values
 * integrators report seeing from Meta (not in Meta's published docs), used where the rule matches.
 */
export const TemplateSubcode = {
  LimitExceeded: 2388019,
  LanguageBeingDeleted: 2388023,
  AlreadyExists: 2388024,
  FieldTooLong: 2388040,
  HeaderFormat: 2388047,
  BodyFormat: 2388072,
  FooterFormat: 2388073,
  TooManyVariables: 2388293,
  DanglingVariable: 2388299,
} as const;

export interface TemplateProblem {
  /** Where in the request, e.g. "components[1].text". */
  path: string;
  /** error_user_title */
  title: string;
  /** error_user_msg */
  message: string;
  subcode?: number;
  /** Defaults to 100. */
  code?: number;
}

export function templateProblemError(problem: TemplateProblem): GraphError {
  return new GraphError(problem.code ?? ErrorCode.InvalidParameter, {
    details: `${problem.path}: ${problem.message}`,
    subcode: problem.subcode,
    userTitle: problem.title,
    userMessage: problem.message,
  });
}

/** Collects problems while a request is walked; validators never stop at the first. */
export class ProblemList {
  readonly items: TemplateProblem[] = [];

  add(path: string, title: string, message: string, subcode?: number): void {
    this.items.push({ path, title, message, ...(subcode !== undefined ? { subcode } : {}) });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
