/**
 * One journey: its graph drawn from the document, activate / pause / archive (the API's problem shown when it
 * refuses), and what it did: the funnel, A/B variants, the holdout lift and its messages' deliveries.
 */
import { useMemo } from "preact/hooks";

import type { components } from "../../../clients/typescript/src/index.ts";
import { idempotencyKey, useAction, useLoad } from "../api.ts";
import { Link, navigate } from "../router.tsx";
import { useMay } from "../session.ts";
import { ConfirmButton } from "../ui/confirm.tsx";
import { formatDateTime } from "../ui/format.ts";
import { ProblemAlert } from "../ui/problem.tsx";
import { Loading, PageHeader, Section } from "../ui/states.tsx";
import "./journeys/journeys.css";
import { goalText, statusBadge, triggerText } from "./journeys/describe.tsx";
import { journeyGraph } from "./journeys/graph.ts";
import { GraphView, StepList } from "./journeys/graph-view.tsx";
import { Deliveries, Funnel, HoldoutLift, Variants } from "./journeys/results.tsx";

type Journey = components["schemas"]["Journey"];
type Doc = Record<string, unknown>;

const WRITE = "journeys:write";

export function Journey({ id }: { id: string }) {
  const journey = useLoad((api) => api.get("/v1/journeys/{journey_id}", { params: { path: { journey_id: id } } }), [id]);
  if (journey.data === undefined) {
    return (
      <>
        <PageHeader title="Journey" lead={<Link href="/journeys">All journeys</Link>} />
        {journey.error !== undefined ? <ProblemAlert error={journey.error} /> : <Loading />}
      </>
    );
  }
  return <JourneyPage journey={journey.data} reload={journey.reload} />;
}

type Command = "activate" | "pause" | "archive";

function JourneyPage({ journey, reload }: { journey: Journey; reload: () => void }) {
  const may = useMay(WRITE);
  const id = journey.journey_id;
  const stats = useLoad(
    (api) => api.get("/v1/journeys/{journey_id}/stats", { params: { path: { journey_id: id } } }),
    [id, journey.updated_at, journey.status],
  );
  const lift = useLoad(
    (api) => api.get("/v1/journeys/{journey_id}/lift", { params: { path: { journey_id: id } } }),
    [id, journey.status],
  );
  const command = useAction(async (api, which: Command) => {
    const params = { path: { journey_id: id }, header: { "Idempotency-Key": idempotencyKey() } };
    if (which === "activate") await api.post("/v1/journeys/{journey_id}/activate", { params });
    else if (which === "pause") await api.post("/v1/journeys/{journey_id}/pause", { params });
    else await api.delete("/v1/journeys/{journey_id}", { params });
    return which;
  });
  const run = async (which: Command) => {
    if ((await command.run(which)) !== undefined) reload();
  };

  const document = journey.document as Doc;
  const graph = useMemo(() => journeyGraph(document), [document]);
  const here = useMemo(
    () => new Map((stats.data?.steps ?? []).map((step) => [step.step_id, step.active + step.waiting])),
    [stats.data],
  );
  const settings = (document.settings ?? {}) as Doc;
  const holdout = typeof settings.holdout_percent === "number" ? settings.holdout_percent : 0;
  const newDraft = journey.active_version !== null && journey.active_version !== undefined && journey.latest_version > journey.active_version;
  const canActivate = journey.status === "draft" || journey.status === "paused" || (journey.status === "active" && newDraft);
  const activateLabel = journey.status === "paused" ? "Resume" : newDraft ? `Activate version ${journey.latest_version}` : "Activate";

  const actions =
    may && journey.status !== "archived" ? (
      <>
        {canActivate ? (
          <button
            type="button"
            class="primary"
            data-write
            data-testid="journey-activate"
            disabled={command.busy}
            onClick={() => void run("activate")}
          >
            {activateLabel}
          </button>
        ) : null}
        {journey.status === "active" ? (
          <button
            type="button"
            class="secondary"
            data-write
            data-testid="journey-pause"
            disabled={command.busy}
            onClick={() => void run("pause")}
          >
            Pause
          </button>
        ) : null}
        <ConfirmButton
          label="Archive"
          title={`Archive “${journey.name}”?`}
          confirmLabel="Archive"
          danger
          testId="journey-archive"
          onConfirm={() => void command.run("archive").then((done) => done && navigate("/journeys"))}
        >
          Nobody new enters it; customers in flight finish their paths. It stays readable, with its results.
        </ConfirmButton>
      </>
    ) : null;

  return (
    <>
      <PageHeader
        title={journey.name}
        lead={
          <>
            <Link href="/journeys">All journeys</Link> · {statusBadge(journey.status)} · version {journey.latest_version}
            {journey.active_version ? ` (active: ${journey.active_version})` : ""}
          </>
        }
        actions={actions}
      />
      <ProblemAlert error={command.error} />
      <Section title="Journey">
        <dl class="facts">
          <dt>Trigger</dt>
          <dd data-testid="journey-trigger">{triggerText(document.trigger)}</dd>
          <dt>Goal</dt>
          <dd>{goalText(document.goal)}</dd>
          {journey.template ? (
            <>
              <dt>Template</dt>
              <dd>{journey.template}</dd>
            </>
          ) : null}
          <dt>Re-entry</dt>
          <dd>
            {String(settings.reentry ?? "never")}
            {settings.cooldown ? `, cooldown ${String(settings.cooldown)}` : ""}
          </dd>
          <dt>Holdout</dt>
          <dd>{holdout}%</dd>
          <dt>Updated</dt>
          <dd>{formatDateTime(journey.updated_at)}</dd>
        </dl>
        {typeof document.description === "string" ? <p class="lead">{document.description}</p> : null}
      </Section>
      <Section title="Steps">
        <GraphView graph={graph} here={here} label={`The steps of ${journey.name}, from ${String(document.entry_step)} down`} />
        <StepList graph={graph} here={here} />
      </Section>
      <Section title="Funnel">
        {stats.data ? (
          <Funnel stats={stats.data} stepOrder={graph.nodes.map((node) => node.id)} />
        ) : (
          <Results error={stats.error} />
        )}
      </Section>
      <div class="grid journey-results">
        <Section title="A/B variants">{stats.data ? <Variants stats={stats.data} hasSplit={graph.nodes.some((node) => node.type === "split")} /> : <Results error={stats.error} />}</Section>
        <Section title="Holdout lift">
          <div data-testid="journey-lift">
            {lift.data ? <HoldoutLift lift={lift.data} holdoutPercent={holdout} /> : <Results error={lift.error} />}
          </div>
        </Section>
      </div>
      <Section title="Deliveries">{stats.data ? <Deliveries stats={stats.data} /> : <Results error={stats.error} />}</Section>
    </>
  );
}

function Results({ error }: { error: unknown }) {
  return error !== undefined ? <ProblemAlert error={error} /> : <Loading />;
}
