/**
 * A condition document in words ("stats.orders is at least 2 and any of (…)"), for lists, read-only views and
 * the journey graph's branch labels. Journeys and segments share the grammar, so this reads both.
 */
import { OPERATOR_LABELS, type Operator } from "./condition.ts";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => valueText(item)).join(", ");
  if (typeof value === "string") return `"${value}"`;
  return String(value);
}

function leafText(leaf: Record<string, unknown>): string {
  const op = String(leaf.op ?? "");
  const label = OPERATOR_LABELS[op as Operator] ?? op;
  const value = op === "exists" || op === "not_exists" || leaf.value === undefined ? "" : ` ${valueText(leaf.value)}`;
  const window = typeof leaf.within_last === "string" ? ` in the last ${leaf.within_last}` : "";
  return `${String(leaf.field ?? "?")} ${label}${value}${window}`;
}

/** The condition in words; nested groups in parentheses. */
export function conditionText(condition: unknown, nested = false): string {
  if (!isObject(condition)) return "";
  const group = (children: unknown, joiner: string): string => {
    const parts = Array.isArray(children) ? children.map((child) => conditionText(child, true)) : [];
    const text = parts.join(joiner);
    return nested && parts.length > 1 ? `(${text})` : text;
  };
  if ("all" in condition) return group(condition.all, " and ");
  if ("any" in condition) return group(condition.any, " or ");
  if ("not" in condition) return `not ${conditionText(condition.not, true)}`;
  return leafText(condition);
}
