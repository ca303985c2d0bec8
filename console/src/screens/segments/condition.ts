/**
 * The condition builder's model: a tree of groups and rules the form edits, to and from the API's condition
 * document (contracts/conditions.py: a leaf `{field, op, value}` or `{all: [...]}`, `{any: [...]}`, `{not: ...}`).
 * A group matches all, any or none of its children (none is `{not: {any: [...]}}`), so every document the API
 * holds opens in the builder. Each rule keeps the path the API names it by in a 422 (`condition.all[1].value`).
 */
import type { components } from "../../../../clients/typescript/src/index.ts";

/** A field of GET /v1/segment-fields: its type, operators, an enum's values, a family's name pattern. */
export type SegmentField = components["schemas"]["SegmentField"];
export type Operator = components["schemas"]["SegmentLeaf"]["op"];
type Scalar = boolean | number | string;
type Value = Scalar | Scalar[] | null;
export type ConditionDocument = { [key: string]: unknown };

/** How a trait's value is written: the API compares traits as JSON, so "5" and 5 differ. */
export type ValueKind = "text" | "number" | "boolean";

export interface Rule {
  kind: "rule";
  key: number;
  /** A catalogue name ("stats.orders") or a pattern's ("traits.<name>") with `name` filling the <…> part. */
  field: string;
  name: string;
  op: Operator | "";
  /** The value as typed: lists comma-separated. */
  text: string;
  valueKind: ValueKind;
  /** An event count's window ("7d"), empty for all time. */
  withinLast: string;
}

export type Match = "all" | "any" | "none";

export interface Group {
  kind: "group";
  key: number;
  match: Match;
  children: Node[];
}

export type Node = Rule | Group;

let nextKey = 1;
const key = (): number => nextKey++;

export function newRule(field = "", op: Operator | "" = ""): Rule {
  return { kind: "rule", key: key(), field, name: "", op, text: "", valueKind: "text", withinLast: "" };
}

export function newGroup(match: Match = "all", children: Node[] = [newRule()]): Group {
  return { kind: "group", key: key(), match, children };
}

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: "is",
  ne: "is not",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  in: "is one of",
  not_in: "is none of",
  exists: "is set",
  not_exists: "is not set",
  contains: "contains",
  within_last: "within the last",
  not_within_last: "not within the last",
  before: "is before",
  after: "is after",
};

/** A catalogue entry standing for many fields ("traits.<name>"): the text before and after its placeholder. */
export function placeholderOf(field: string): { before: string; after: string; what: string } | null {
  const found = /^(.*)<([a-z_]+)>(.*)$/.exec(field);
  return found ? { before: found[1] ?? "", what: found[2] ?? "name", after: found[3] ?? "" } : null;
}

/** The field name a rule stands for ("traits.city"). */
export function fieldName(rule: Rule): string {
  const pattern = placeholderOf(rule.field);
  return pattern ? `${pattern.before}${rule.name.trim()}${pattern.after}` : rule.field;
}

/** The catalogue entry of a field name as the API writes it: exact, else the pattern it fits. */
export function specOf(fields: readonly SegmentField[], name: string): { spec: SegmentField; name: string } | null {
  const exact = fields.find((field) => field.field === name);
  if (exact) return { spec: exact, name: "" };
  for (const field of fields) {
    const pattern = placeholderOf(field.field);
    if (pattern && name.startsWith(pattern.before) && name.endsWith(pattern.after)) {
      const middle = name.slice(pattern.before.length, name.length - pattern.after.length);
      if (middle !== "") return { spec: field, name: middle };
    }
  }
  return null;
}

export const takesNoValue = (op: Operator | ""): boolean => op === "exists" || op === "not_exists";
export const takesList = (op: Operator | ""): boolean => op === "in" || op === "not_in";

/** How the rule's value is typed: by the field's type, and for traits (json) by the rule's choice. */
export function valueKindOf(rule: Rule, spec: SegmentField | undefined): ValueKind | "window" | "time" {
  if (rule.op === "within_last" || rule.op === "not_within_last") return "window";
  if (rule.op === "before" || rule.op === "after") return "time";
  switch (spec?.type) {
    case "number":
    case "count":
      return "number";
    case "boolean":
      return "boolean";
    case "json":
      return ["gt", "gte", "lt", "lte"].includes(rule.op) ? "number" : rule.op === "contains" ? "text" : rule.valueKind;
    default:
      return "text";
  }
}

function parseScalar(text: string, kind: ValueKind): Scalar {
  const trimmed = text.trim();
  if (kind === "number") {
    // a number the API reads; anything else goes as typed, and the API's 422 says what is wrong with it
    return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }
  if (kind === "boolean") return trimmed === "true" ? true : trimmed === "false" ? false : trimmed;
  return text;
}

/** A datetime-local input's value ("2026-11-23T10:00") as RFC 3339 in UTC, which the API takes. */
function toTimestamp(local: string): string {
  const parsed = new Date(local);
  return Number.isNaN(parsed.getTime()) ? local : parsed.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An RFC 3339 time as a datetime-local input shows it (the browser's time zone). */
function fromTimestamp(value: string): string {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  const local = new Date(parsed.getTime() - parsed.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function ruleValue(rule: Rule, spec: SegmentField | undefined): Value | undefined {
  if (takesNoValue(rule.op)) return undefined;
  const kind = valueKindOf(rule, spec);
  if (kind === "window") return rule.text.trim();
  if (kind === "time") return toTimestamp(rule.text);
  if (takesList(rule.op)) {
    return rule.text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "")
      .map((item) => parseScalar(item, kind));
  }
  return parseScalar(rule.text, kind);
}

/** The API's condition document of a tree. */
export function toDocument(node: Node, fields: readonly SegmentField[]): ConditionDocument {
  if (node.kind === "rule") {
    const spec = fields.find((field) => field.field === node.field);
    const leaf: ConditionDocument = { field: fieldName(node), op: node.op };
    const value = ruleValue(node, spec);
    if (value !== undefined) leaf.value = value;
    if (spec?.type === "count" && node.withinLast.trim() !== "") leaf.within_last = node.withinLast.trim();
    return leaf;
  }
  const children = node.children.map((child) => toDocument(child, fields));
  if (node.match === "none") {
    return { not: children.length === 1 ? children[0] : { any: children } };
  }
  return { [node.match]: children };
}

/** The API path of each rule (by its key) in the document `toDocument` makes, as a 422 names it. */
export function rulePaths(node: Node, path = "condition", paths = new Map<number, string>()): Map<number, string> {
  if (node.kind === "rule") {
    paths.set(node.key, path);
  } else if (node.match === "none") {
    node.children.forEach((child, index) =>
      rulePaths(child, node.children.length === 1 ? `${path}.not` : `${path}.not.any[${index}]`, paths),
    );
  } else {
    node.children.forEach((child, index) => rulePaths(child, `${path}.${node.match}[${index}]`, paths));
  }
  return paths;
}

function textOf(value: unknown, rule: Rule): string {
  if (Array.isArray(value)) return value.map((item) => String(item)).join(", ");
  if (value === null || value === undefined) return "";
  if (rule.op === "before" || rule.op === "after") return fromTimestamp(String(value));
  return String(value);
}

function kindOfValue(value: unknown): ValueKind {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "number" ? "number" : typeof first === "boolean" ? "boolean" : "text";
}

function isObject(value: unknown): value is ConditionDocument {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The tree of a condition document the API holds (always a group at the top, as the builder edits). */
export function fromDocument(document: unknown, fields: readonly SegmentField[]): Group {
  const node = nodeOf(document, fields);
  return node.kind === "group" ? node : newGroup("all", [node]);
}

function nodeOf(document: unknown, fields: readonly SegmentField[]): Node {
  if (!isObject(document)) return newRule();
  if (Array.isArray(document.all)) return newGroup("all", document.all.map((child) => nodeOf(child, fields)));
  if (Array.isArray(document.any)) return newGroup("any", document.any.map((child) => nodeOf(child, fields)));
  if ("not" in document) {
    const inner = document.not;
    const children = isObject(inner) && Array.isArray(inner.any) ? inner.any : [inner];
    return newGroup("none", children.map((child) => nodeOf(child, fields)));
  }
  const name = typeof document.field === "string" ? document.field : "";
  const found = specOf(fields, name);
  const rule = newRule(found ? found.spec.field : name, (document.op as Operator | undefined) ?? "");
  rule.name = found?.name ?? "";
  rule.text = textOf(document.value, rule);
  rule.valueKind = kindOfValue(document.value);
  rule.withinLast = typeof document.within_last === "string" ? document.within_last : "";
  return rule;
}

/** The tree with `target` (by key) replaced by `change(target)`; `null` removes it. */
export function updateNode(node: Node, target: number, change: (node: Node) => Node | null): Node | null {
  if (node.key === target) return change(node);
  if (node.kind === "rule") return node;
  const children = node.children
    .map((child) => updateNode(child, target, change))
    .filter((child): child is Node => child !== null);
  return { ...node, children };
}

/** How many rules the tree holds. */
export function countRules(node: Node): number {
  return node.kind === "rule" ? 1 : node.children.reduce((sum, child) => sum + countRules(child), 0);
}
