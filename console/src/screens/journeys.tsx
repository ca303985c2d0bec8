/**
 * Journeys (GET /v1/journeys, paged, by status): each with its status, trigger and counts (each row reads its
 * journey and stats), and the templates to create one from in one click.
 */
import { useState } from "preact/hooks";

import type { components } from "../../../clients/typescript/src/index.ts";
import { useLoad, usePaged } from "../api.ts";
import { Link } from "../router.tsx";
import { useMay } from "../session.ts";
import { formatDateTime, formatInteger } from "../ui/format.ts";
import { EmptyState, PageHeader, Section } from "../ui/states.tsx";
import { PagedTable } from "../ui/table.tsx";
import { statusBadge, triggerText } from "./journeys/describe.tsx";
import "./journeys/journeys.css";
import { templateTitle, Templates } from "./journeys/templates.tsx";

type Summary = components["schemas"]["JourneySummary"];
type Status = Summary["status"];

const STATUSES: readonly (Status | "")[] = ["", "active", "paused", "draft", "archived"];

export function Journeys() {
  const may = useMay("journeys:write");
  const [status, setStatus] = useState<Status | "">("");
  const journeys = usePaged<Summary>(
    (api, cursor) =>
      api.get("/v1/journeys", {
        params: { query: { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    [status],
  );
  return (
    <>
      <PageHeader title="Journeys" lead="Automated paths customers enter on a trigger: waits, branches, A/B splits and actions." />
      <div class="filters">
        <div>
          <label for="journey-status">Status</label>
          <select id="journey-status" value={status} onChange={(event) => setStatus((event.target as HTMLSelectElement).value as Status | "")}>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value === "" ? "draft, active and paused" : value}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="journeys-list">
      <PagedTable
        list={journeys}
        caption="Journeys with their trigger, status and counts"
        testId="journeys-table"
        rowKey={(journey) => journey.journey_id}
        columns={[
          {
            title: "Journey",
            cell: (journey) => (
              <>
                <Link href={`/journeys/${encodeURIComponent(journey.journey_id)}`}>{journey.name}</Link>
                <TriggerLine id={journey.journey_id} version={journey.updated_at} />
                {journey.template && templateTitle(journey.template) !== journey.name ? (
                  <div class="hint">from {templateTitle(journey.template)}</div>
                ) : null}
              </>
            ),
          },
          { title: "Status", cell: (journey) => statusBadge(journey.status) },
          { title: "Entered · in flight · converted", numeric: true, cell: (journey) => <CountsCell id={journey.journey_id} /> },
          { title: "Updated", cell: (journey) => formatDateTime(journey.updated_at) },
        ]}
        empty={
          <EmptyState title={status ? `No ${status} journeys` : "No journeys yet"}>
            {may ? "Create one from a template below: one click, then activate it." : "Journeys are created with a key that may write them (journeys:write)."}
          </EmptyState>
        }
      />
      </div>
      {may ? (
        <Section title="Create from a template">
          <p class="lead">Each makes a draft with sensible defaults (change them under “Options”); activate it on its page.</p>
          <Templates />
        </Section>
      ) : null}
    </>
  );
}

/** What starts the journey (the list gives no documents: each row reads its journey). */
function TriggerLine({ id, version }: { id: string; version: string }) {
  const journey = useLoad(
    (api) => api.get("/v1/journeys/{journey_id}", { params: { path: { journey_id: id } } }),
    [id, version],
  );
  if (journey.data === undefined) return null;
  return <div class="trigger-text">when {triggerText(journey.data.document.trigger)}</div>;
}

function CountsCell({ id }: { id: string }) {
  const stats = useLoad((api) => api.get("/v1/journeys/{journey_id}/stats", { params: { path: { journey_id: id } } }), [id]);
  if (stats.data === undefined) return <span class="hint">{stats.error ? "–" : "…"}</span>;
  const { entered, in_flight: inFlight, converted } = stats.data;
  return (
    <span data-testid="journey-counts">
      {formatInteger(entered)} · {formatInteger(inFlight)} · {formatInteger(converted)}
    </span>
  );
}
