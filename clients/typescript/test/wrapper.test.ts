/** The hand-written wrapper (src/index.ts) against a fake fetch: the key sent, the data answered, problems thrown. */
import assert from "node:assert/strict";
import { test } from "node:test";

import { createFlywheel, FlywheelError, type SegmentIn } from "../src/index.js";

function answering(status: number, body: string, contentType: string, seen: Request[] = []): typeof fetch {
  return async (input: RequestInfo | URL) => {
    seen.push(input as Request);
    return new Response(body, { status, headers: { "content-type": contentType } });
  };
}

test("a call sends the API key to the path and answers the data", async () => {
  const seen: Request[] = [];
  const body = JSON.stringify({ customer_id: "c_1", identifiers: { email: ["ada@example.com"] } });
  const flywheel = createFlywheel({
    baseUrl: "http://gateway.test/",
    apiKey: "fw_key",
    fetch: answering(200, body, "application/json", seen),
  });

  const customer = await flywheel.get("/v1/customers", { params: { query: { email: "ada@example.com" } } });

  assert.equal(customer.customer_id, "c_1");
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.url, "http://gateway.test/v1/customers?email=ada%40example.com");
  assert.equal(seen[0]?.headers.get("authorization"), "Bearer fw_key");
});

test("a problem answer throws a FlywheelError with its title, detail and errors", async () => {
  const problem = {
    type: "https://flywheel.dev/problems/validation",
    title: "Unprocessable Content",
    status: 422,
    detail: "1 field is invalid",
    errors: [{ field: "condition.all[0].field", message: "unknown field" }],
  };
  const flywheel = createFlywheel({
    baseUrl: "http://gateway.test",
    apiKey: "fw_key",
    fetch: answering(422, JSON.stringify(problem), "application/problem+json"),
  });

  const bad: SegmentIn = { name: "Bad", condition: { all: [{ field: "stats.nope", op: "gte", value: 1 }] } };
  const error = await flywheel.post("/v1/segments", { body: bad }).catch((e: unknown) => e);

  assert.ok(error instanceof FlywheelError);
  assert.equal(error.status, 422);
  assert.equal(error.type, problem.type);
  assert.equal(error.title, "Unprocessable Content");
  assert.equal(error.detail, "1 field is invalid");
  assert.deepEqual(error.errors, problem.errors);
  assert.equal(error.message, "422 Unprocessable Content: 1 field is invalid");
});

test("an answer that is no problem document still throws, titled by its status", async () => {
  const flywheel = createFlywheel({
    baseUrl: "http://gateway.test",
    apiKey: "fw_key",
    fetch: answering(502, "<html>bad gateway</html>", "text/html"),
  });

  const error = await flywheel.get("/v1/quotas").catch((e: unknown) => e);

  assert.ok(error instanceof FlywheelError);
  assert.equal(error.status, 502);
  assert.equal(error.type, "about:blank");
  assert.equal(error.problem, undefined);
  assert.deepEqual(error.errors, []);
});
