/** Customers as the API answers them, and how the console names them. */
import type { components } from "../../../../clients/typescript/src/index.ts";

type Schemas = components["schemas"];
export type CustomerView = Schemas["CustomerView"];
export type Customer360 = Schemas["Customer360"];
export type CustomerScores = Schemas["CustomerScores"];
export type TimelineItem = Schemas["TimelineItem"];

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** The customer's name from their traits (`name`, or first and last), else their first email, else the id. */
export function displayName(customer: Pick<CustomerView, "customer_id" | "traits" | "identifiers">): string {
  const traits = customer.traits ?? {};
  const full = text(traits["name"]);
  if (full) return full;
  const parts = [text(traits["first_name"]), text(traits["last_name"])].filter((part) => part !== null);
  if (parts.length > 0) return parts.join(" ");
  return customer.identifiers?.email?.[0] ?? customer.customer_id;
}

export function firstEmail(customer: Pick<CustomerView, "identifiers">): string | null {
  return customer.identifiers?.email?.[0] ?? null;
}

/** A trait's value as text (objects and lists as JSON). */
export function traitText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
