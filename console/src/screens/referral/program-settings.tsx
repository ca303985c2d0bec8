/** A referral program's document as a read-only summary (docs/referral.md: the program document). */
import { formatDate, formatDateTime, formatNumber } from "../../ui/format.ts";
import type { Program } from "./programs.tsx";

type Json = unknown;

function record(value: Json): Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function text(value: Json): string {
  return value === null || value === undefined ? "" : String(value);
}

/** `{kind, value, trigger, min_purchase}` → "20 off on the first purchase (at least 10)". */
export function describeReward(value: Json): string {
  const reward = record(value);
  if (Object.keys(reward).length === 0) return "None";
  const amount = formatNumber(text(reward["value"]));
  const what =
    reward["kind"] === "percent" ? `${amount}% off` : reward["kind"] === "points" ? `${amount} points` : `${amount} off`;
  const trigger =
    reward["trigger"] === "signup" ? " at sign-up" : reward["trigger"] === "first_purchase" ? " on the first purchase" : "";
  const minimum = Number(reward["min_purchase"] ?? 0) > 0 ? ` (at least ${formatNumber(text(reward["min_purchase"]))})` : "";
  return `${what}${trigger}${minimum}`;
}

function describeEligibility(value: Json): string {
  const eligibility = record(value);
  return eligibility["who"] === "segment" ? `Members of segment ${text(eligibility["segment"])}` : "Everyone";
}

function describeTiers(value: Json): string {
  if (!Array.isArray(value) || value.length === 0) return "None";
  return value
    .map((tier) => {
      const fields = record(tier);
      return `${text(fields["name"])}: after ${text(fields["friends"])} friends, ${describeReward(fields["reward"])}`;
    })
    .join("; ");
}

function describeLimits(value: Json): string {
  const limits = record(value);
  const parts = [];
  if (limits["rewards_per_referrer_per_month"] !== undefined) {
    parts.push(`${text(limits["rewards_per_referrer_per_month"])} rewards per referrer a month`);
  }
  if (limits["budget"] !== undefined) parts.push(`budget ${formatNumber(text(limits["budget"]))}`);
  return parts.length > 0 ? parts.join(", ") : "None";
}

function describeReview(value: Json): string {
  const review = record(value);
  const parts = [];
  if (review["hold_amount_above"] !== undefined) parts.push(`amounts above ${formatNumber(text(review["hold_amount_above"]))}`);
  if (review["hold_points_above"] !== undefined) parts.push(`points above ${formatNumber(text(review["hold_points_above"]))}`);
  return parts.length > 0 ? `Held: ${parts.join(", ")}` : "No threshold";
}

export function ProgramSettings({ program }: { program: Program }) {
  const doc = program.document;
  const validFrom = text(doc["valid_from"]);
  const validUntil = text(doc["valid_until"]);
  return (
    <dl class="facts" data-testid="program-settings">
      <dt>Status</dt>
      <dd>{doc["active"] === false ? "Inactive" : "Active"}</dd>
      <dt>Code prefix</dt>
      <dd>{text(doc["code_prefix"]) || "–"}</dd>
      <dt>Who may refer</dt>
      <dd>{describeEligibility(doc["eligibility"])}</dd>
      <dt>Referrer reward</dt>
      <dd>{describeReward(doc["referrer_reward"])}</dd>
      <dt>Friend reward</dt>
      <dd>{describeReward(doc["friend_reward"])}</dd>
      <dt>Tiers</dt>
      <dd>{describeTiers(doc["tiers"])}</dd>
      <dt>Limits</dt>
      <dd>{describeLimits(doc["limits"])}</dd>
      <dt>Review</dt>
      <dd>{describeReview(doc["review"])}</dd>
      <dt>Attribution window</dt>
      <dd>{text(doc["attribution_window_days"]) || "30"} days</dd>
      <dt>Runs</dt>
      <dd>
        {validFrom ? `from ${formatDate(validFrom)}` : "from the start"}
        {validUntil ? ` until ${formatDate(validUntil)}` : ", no end"}
      </dd>
      <dt>Version</dt>
      <dd>
        {program.version}, changed {formatDateTime(program.updated_at)}
      </dd>
    </dl>
  );
}
