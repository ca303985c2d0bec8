/**
 * Acceptance 3 of issue 21, TypeScript side: only the generated client (clients/typescript), strictly typed.
 * Posts a purchase carrying only an email, finds the customer, reads the 360 view, creates a segment and a journey
 * from typed models, checks a refused segment surfaces as a typed problem, and prints one line per result
 * (tests/e2e/test_generated_clients.py reads them).
 *
 * Environment: FLYWHEEL_URL, FLYWHEEL_API_KEY, FLYWHEEL_WORKSPACE, FLYWHEEL_EMAIL.
 */
import {
  type Customer360,
  type CustomerView,
  createFlywheel,
  FlywheelError,
  type Journey,
  type JourneyIn,
  type PurchaseEvent,
  type SegmentIn,
} from "../../../clients/typescript/src/index.js";

const DEADLINE_MS = 90_000;

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

async function poll<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = await attempt();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const flywheel = createFlywheel({ baseUrl: setting("FLYWHEEL_URL"), apiKey: setting("FLYWHEEL_API_KEY") });
const email = setting("FLYWHEEL_EMAIL");

const purchase: PurchaseEvent = {
  specversion: "1.0",
  id: `ts-${Date.now()}`,
  source: "typescript-client",
  type: "purchase",
  data: { customer: { email }, order_id: `o-ts-${Date.now()}`, amount: "42.50", currency: "EUR" },
};
const accepted = await flywheel.post("/v1/events", { body: purchase });
console.log(`posted ${accepted.accepted.length}`);

const found: CustomerView = await poll("the customer", async () => {
  try {
    return await flywheel.get("/v1/customers", { params: { query: { email } } });
  } catch (error) {
    if (error instanceof FlywheelError && error.status === 404) {
      return undefined; // profile has not taken the event in yet
    }
    throw error;
  }
});
console.log(`found ${found.identifiers?.email?.join(",")}`);

const path = { customer_id: found.customer_id };
const view: Customer360 = await poll("the purchase in the 360 view", async () => {
  const answer = await flywheel.get("/v1/customers/{customer_id}", { params: { path } });
  return answer.stats?.orders === 1 ? answer : undefined;
});
console.log(`360 orders=${view.stats?.orders} revenue=${view.stats?.revenue}`);

const buyers: SegmentIn = {
  name: "Buyers (TypeScript client)",
  condition: { all: [{ field: "stats.orders", op: "gte", value: 1 }] },
};
const segment = await flywheel.post("/v1/segments", { body: buyers });
console.log(`segment ${segment.name} members=${segment.members}`);
const member = await poll("the segment in the 360 view", async () => {
  const answer = await flywheel.get("/v1/customers/{customer_id}", { params: { path } });
  return answer.segments?.find((entry) => entry.segment_id === segment.segment_id);
});
console.log(`360 segment ${member.name}`);

const document: JourneyIn = {
  name: "Thank buyers (TypeScript client)",
  trigger: { type: "event", event: "purchase" },
  entry_step: "thank",
  steps: {
    thank: { type: "action", action: { kind: "webhook", channel: "email", template: "Thanks!" }, next: "done" },
    done: { type: "exit" },
  },
  settings: { timezone: "UTC" },
};
const journey: Journey = await flywheel.post("/v1/journeys", { body: document });
console.log(`journey ${journey.name} status=${journey.status} version=${journey.latest_version}`);

try {
  await flywheel.post("/v1/segments", {
    body: { name: "Bad", condition: { all: [{ field: "stats.nope", op: "gte", value: 1 }] } },
  });
  console.log("refused no");
} catch (error) {
  if (!(error instanceof FlywheelError)) {
    throw error;
  }
  console.log(`refused ${error.status} ${error.errors.map((field) => field.field).join(",")}`);
}
