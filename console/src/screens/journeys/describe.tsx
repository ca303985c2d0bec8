/** A journey's trigger, goal and status in words, for the list and the journey's page. */
import { conditionText } from "../segments/summary.ts";

type Doc = Record<string, unknown>;

const isObject = (value: unknown): value is Doc => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const OPS: Record<string, string> = { lt: "below", lte: "at most", gt: "above", gte: "at least" };

function withConditions(base: string, conditions: unknown): string {
  const words = conditionText(conditions);
  return words ? `${base} where ${words}` : base;
}

/** "event purchase", "enters segment vip", "p_alive below 0.3", … */
export function triggerText(trigger: unknown): string {
  if (!isObject(trigger)) return "–";
  switch (trigger.type) {
    case "event":
      return withConditions(`event ${text(trigger.event)}`, trigger.conditions);
    case "segment_entered":
      return `enters segment ${text(trigger.segment_id)}`;
    case "segment_exited":
      return `leaves segment ${text(trigger.segment_id)}`;
    case "score_changed": {
      const from = trigger.from ? ` from ${text(trigger.from)}` : "";
      const to = trigger.to ? ` to ${text(trigger.to)}` : "";
      return `${text(trigger.score)} changes${from}${to}`;
    }
    case "score_crossed":
      return `${text(trigger.score)} crosses ${OPS[text(trigger.op)] ?? text(trigger.op)} ${text(trigger.value)}`;
    case "dormant":
      return withConditions("turns dormant", trigger.conditions);
    case "date":
      return `date in trait ${text(trigger.trait)} (${text(trigger.repeat ?? "yearly")})`;
    case "any":
      return Array.isArray(trigger.triggers) ? trigger.triggers.map(triggerText).join(" or ") : "any";
    default:
      return text(trigger.type);
  }
}

export function goalText(goal: unknown): string {
  if (!isObject(goal)) return "none";
  const within = goal.within ? ` within ${text(goal.within)}` : "";
  return withConditions(`event ${text(goal.event)}${within}`, goal.conditions);
}

const BADGES: Record<string, string> = { active: "badge ok", paused: "badge warn", draft: "badge", archived: "badge bad" };

export function statusBadge(status: string) {
  return (
    <span class={BADGES[status] ?? "badge"} data-testid="journey-status">
      {status}
    </span>
  );
}
