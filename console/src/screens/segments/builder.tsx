/**
 * The condition builder: groups matching all, any or none of their rules, each rule a field of
 * GET /v1/segment-fields, one of that field's operators and a value typed as the field's type. The API's 422
 * names a bad rule by its path; its message shows under that rule.
 */
import {
  type Group,
  type Match,
  type Node,
  newGroup,
  newRule,
  OPERATOR_LABELS,
  type Operator,
  placeholderOf,
  type Rule,
  type SegmentField,
  takesList,
  takesNoValue,
  type ValueKind,
  valueKindOf,
} from "./condition.ts";

export interface BuilderProps {
  root: Group;
  fields: readonly SegmentField[];
  onChange: (node: Node, change: (node: Node) => Node | null) => void;
  /** The API's messages by rule key. */
  errors: ReadonlyMap<number, string[]>;
}

const MATCH_LABELS: Record<Match, string> = { all: "all of", any: "any of", none: "none of" };

/** The catalogue grouped by the part before the first dot (stats, scores, loyalty, traits, events…). */
function byPrefix(fields: readonly SegmentField[]): [string, SegmentField[]][] {
  const groups = new Map<string, SegmentField[]>();
  for (const field of fields) {
    const prefix = field.field.split(".")[0] ?? field.field;
    groups.set(prefix, [...(groups.get(prefix) ?? []), field]);
  }
  return [...groups.entries()];
}

export function ConditionBuilder(props: BuilderProps) {
  return (
    <div class="builder" data-testid="condition-builder">
      <GroupEditor group={props.root} depth={0} path="1" props={props} />
    </div>
  );
}

function GroupEditor({ group, depth, path, props }: { group: Group; depth: number; path: string; props: BuilderProps }) {
  const matchId = `match-${group.key}`;
  const change = (next: Partial<Group>) => props.onChange(group, (node) => ({ ...(node as Group), ...next }));
  return (
    <fieldset class={depth === 0 ? "group root" : "group"} data-testid={`group-${path}`}>
      <legend class="visually-hidden">{depth === 0 ? "Condition" : `Group ${path}`}</legend>
      <div class="group-head">
        <label for={matchId}>{depth === 0 ? "Customers matching" : "Matching"}</label>
        <select
          id={matchId}
          value={group.match}
          onChange={(event) => change({ match: (event.target as HTMLSelectElement).value as Match })}
        >
          {(Object.keys(MATCH_LABELS) as Match[]).map((match) => (
            <option key={match} value={match}>
              {MATCH_LABELS[match]}
            </option>
          ))}
        </select>
        {depth > 0 ? (
          <button type="button" class="link-button" onClick={() => props.onChange(group, () => null)}>
            Remove group {path}
          </button>
        ) : null}
      </div>
      <ol class="rules">
        {group.children.map((child, index) => (
          <li key={child.key}>
            {child.kind === "rule" ? (
              <RuleEditor rule={child} number={`${path}.${index + 1}`} props={props} />
            ) : (
              <GroupEditor group={child} depth={depth + 1} path={`${path}.${index + 1}`} props={props} />
            )}
          </li>
        ))}
      </ol>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => change({ children: [...group.children, newRule()] })}
          data-testid={`add-rule-${path}`}
        >
          Add rule
        </button>
        {depth === 0 ? (
          <button type="button" class="secondary" onClick={() => change({ children: [...group.children, newGroup("any")] })}>
            Add group
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

function RuleEditor({ rule, number, props }: { rule: Rule; number: string; props: BuilderProps }) {
  const spec = props.fields.find((field) => field.field === rule.field);
  const pattern = placeholderOf(rule.field);
  const errors = props.errors.get(rule.key) ?? [];
  const update = (next: Partial<Rule>) => props.onChange(rule, (node) => ({ ...(node as Rule), ...next }));
  const id = (part: string) => `rule-${rule.key}-${part}`;
  const pickField = (field: string) => {
    const picked = props.fields.find((candidate) => candidate.field === field);
    const keepOp = picked?.operators.includes(rule.op) ?? false;
    update({ field, op: keepOp ? rule.op : ((picked?.operators[0] as Operator | undefined) ?? ""), text: "" });
  };
  const kind = valueKindOf(rule, spec);
  return (
    <div
      class={errors.length > 0 ? "rule invalid" : "rule"}
      data-testid={`rule-${number}`}
      role="group"
      aria-label={`Rule ${number}`}
    >
      <div class="rule-fields">
        <div>
          <label for={id("field")}>Field</label>
          <select id={id("field")} value={rule.field} onChange={(e) => pickField((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a field</option>
            {spec === undefined && rule.field !== "" ? <option value={rule.field}>{rule.field}</option> : null}
            {byPrefix(props.fields).map(([prefix, fields]) => (
              <optgroup key={prefix} label={prefix}>
                {fields.map((field) => (
                  <option key={field.field} value={field.field}>
                    {field.field}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {pattern ? (
          <div>
            <label for={id("name")}>{pattern.what === "type" ? "Event type" : "Trait name"}</label>
            <input
              id={id("name")}
              value={rule.name}
              spellcheck={false}
              onInput={(e) => update({ name: (e.target as HTMLInputElement).value })}
            />
          </div>
        ) : null}
        <div>
          <label for={id("op")}>Operator</label>
          <select
            id={id("op")}
            value={rule.op}
            disabled={spec === undefined}
            onChange={(e) => update({ op: (e.target as HTMLSelectElement).value as Operator })}
          >
            {(spec?.operators ?? []).map((op) => (
              <option key={op} value={op}>
                {OPERATOR_LABELS[op as Operator] ?? op}
              </option>
            ))}
          </select>
        </div>
        {spec?.type === "json" && !takesNoValue(rule.op) && ["eq", "ne", "in", "not_in"].includes(rule.op) ? (
          <div>
            <label for={id("kind")}>Value type</label>
            <select
              id={id("kind")}
              value={rule.valueKind}
              onChange={(e) => update({ valueKind: (e.target as HTMLSelectElement).value as ValueKind })}
            >
              <option value="text">text</option>
              <option value="number">number</option>
              <option value="boolean">true / false</option>
            </select>
          </div>
        ) : null}
        {takesNoValue(rule.op) || spec === undefined ? null : (
          <div>
            <label for={id("value")}>{takesList(rule.op) ? "Values (comma-separated)" : "Value"}</label>
            <ValueInput id={id("value")} rule={rule} spec={spec} kind={kind} update={update} />
          </div>
        )}
        {spec?.type === "count" ? (
          <div>
            <label for={id("window")}>Within the last (optional)</label>
            <input
              id={id("window")}
              value={rule.withinLast}
              placeholder="7d"
              onInput={(e) => update({ withinLast: (e.target as HTMLInputElement).value })}
            />
          </div>
        ) : null}
        <div class="rule-remove">
          <button type="button" class="link-button" onClick={() => props.onChange(rule, () => null)}>
            Remove rule {number}
          </button>
        </div>
      </div>
      {spec?.description ? <p class="hint">{spec.description}</p> : null}
      {errors.map((message) => (
        <p key={message} class="field-error" data-testid="rule-error">
          {message}
        </p>
      ))}
    </div>
  );
}

function ValueInput({
  id,
  rule,
  spec,
  kind,
  update,
}: {
  id: string;
  rule: Rule;
  spec: SegmentField;
  kind: ReturnType<typeof valueKindOf>;
  update: (next: Partial<Rule>) => void;
}) {
  const onInput = (event: Event) => update({ text: (event.target as HTMLInputElement | HTMLSelectElement).value });
  if (!takesList(rule.op) && kind === "boolean") {
    return (
      <select id={id} value={rule.text} onChange={onInput}>
        <option value="">Choose</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  if (!takesList(rule.op) && spec.values && spec.values.length > 0) {
    return (
      <select id={id} value={rule.text} onChange={onInput}>
        <option value="">Choose</option>
        {spec.values.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    );
  }
  if (kind === "time") {
    return <input id={id} type="datetime-local" value={rule.text} onInput={onInput} />;
  }
  const placeholder = kind === "window" ? "30d" : takesList(rule.op) ? "a, b, c" : undefined;
  return (
    <input
      id={id}
      value={rule.text}
      inputMode={kind === "number" && !takesList(rule.op) ? "decimal" : undefined}
      placeholder={placeholder}
      spellcheck={false}
      onInput={onInput}
      aria-invalid={undefined}
    />
  );
}
