// The CloudEvents JavaScript SDK as a producer would use it, against a running Flywheel (issue 21, acceptance 1):
// one purchase each in HTTP structured mode (emitterFor + httpTransport), HTTP binary mode (HTTP.binary sent with
// fetch), and a batch (application/cloudevents-batch+json); and the Kafka serialisers' messages in binary and
// structured mode (Kafka.binary / Kafka.structured), printed for the Python test to send with aiokafka.
//
//   node cloudevents_sdk.js <gateway-url> <api-key> <workspace> <run-id>
//
// Prints one JSON object: {"http": {"structured": <answer body>, "binary": <status>, "batch": <status>},
// "kafka": [{"mode", "key", "headers", "value"}...]}.
"use strict";

const { CloudEvent, CONSTANTS, HTTP, Kafka, Mode, emitterFor, httpTransport } = require("cloudevents");

const [gateway, apiKey, workspace, run] = process.argv.slice(2);
const sink = `${gateway}/v1/events`;
const auth = { authorization: `Bearer ${apiKey}` };

function purchase(mode) {
  const email = `js-${mode}-${run}@example.com`;
  return new CloudEvent({
    id: `js-${mode}-${run}`,
    source: "js-sdk",
    type: "purchase",
    workspace,
    partitionkey: `${workspace}:${email}`, // the Kafka message key (Kafka protocol binding 3.1)
    datacontenttype: "application/json",
    data: { customer: { email }, order_id: `o-js-${mode}-${run}`, amount: "10.00", currency: "EUR" },
  });
}

async function post(message) {
  const answer = await fetch(sink, { method: "POST", headers: { ...message.headers, ...auth }, body: message.body });
  return answer.status;
}

async function main() {
  const http = {};
  const structured = await emitterFor(httpTransport(sink), { mode: Mode.STRUCTURED })(purchase("structured"), {
    headers: auth,
  });
  http.structured = structured.body; // httpTransport answers the body alone: {"accepted": [...]} on success
  http.binary = await post(HTTP.binary(purchase("binary")));
  const batch = [purchase("batch1"), purchase("batch2")];
  http.batch = await post({
    headers: { [CONSTANTS.HEADER_CONTENT_TYPE]: CONSTANTS.MIME_CE_BATCH },
    body: JSON.stringify(batch.map((event) => event.toJSON())),
  });

  const kafka = [];
  for (const [mode, serialise] of [
    ["binary", Kafka.binary],
    ["structured", Kafka.structured],
  ]) {
    const message = serialise(purchase(`kafka-${mode}`));
    const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
    const value = typeof message.value === "string" ? message.value : JSON.stringify(message.value);
    kafka.push({ mode, key: message.key, headers, value });
  }
  process.stdout.write(JSON.stringify({ http, kafka }));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
