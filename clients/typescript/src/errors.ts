import type { components } from "./generated/schema.js";

/** An RFC 9457 problem, as every Flywheel error answers (`application/problem+json`). */
export type Problem = components["schemas"]["Problem"];
/** One bad field of a 422 (`errors[]` of the problem): where, and what is wrong with it. */
export type FieldError = components["schemas"]["FieldError"];

/** An answer other than 2xx: the problem's fields, typed, whatever the body held. */
export class FlywheelError extends Error {
  override readonly name = "FlywheelError";
  /** HTTP status of the answer. */
  readonly status: number;
  /** The problem type (a URL, or `about:blank`). */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** Every bad field of a validation error (empty for other errors). */
  readonly errors: readonly FieldError[];
  /** The body as sent, when it was a problem document. */
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallbackTitle: string) {
    const title = problem?.title ?? fallbackTitle;
    const detail = problem?.detail ?? undefined;
    super(detail ? `${status} ${title}: ${detail}` : `${status} ${title}`);
    this.status = status;
    this.type = problem?.type ?? "about:blank";
    this.title = title;
    this.detail = detail;
    this.errors = problem?.errors ?? [];
    this.problem = problem;
  }

  /** The error for an answer whose body openapi-fetch parsed (JSON) or left as text (anything else). */
  static fromAnswer(response: Response, body: unknown): FlywheelError {
    const problem = isProblem(body) ? body : undefined;
    const fallback = response.statusText || `HTTP ${response.status}`;
    return new FlywheelError(response.status, problem, fallback);
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) {
    return false;
  }
  const { title, status } = body as Record<string, unknown>;
  return typeof title === "string" && typeof status === "number";
}
