/**
 * A deal in full, in a side panel (a modal <dialog>): its facts and custom fields, what keeps it in its stage, its
 * stage history (with overrides), its tasks and its latest quote (GET /v1/quotes?deal_id=).
 */
import { Fragment } from "preact";
import { useEffect, useRef } from "preact/hooks";

import type { components } from "../../../../../clients/typescript/src/index.ts";

import { type Flywheel, useLoad } from "../../../api.ts";
import { Link } from "../../../router.tsx";
import { formatDateTime, formatMoney } from "../../../ui/format.ts";
import { ProblemAlert } from "../../../ui/problem.tsx";
import { EmptyState, Loading } from "../../../ui/states.tsx";
import { explainBlocker, stageName, type Deal, type StageInfo, type Task } from "../pipeline.ts";

type Quote = components["schemas"]["QuoteSummary"];

interface DealDetails {
  deal: Deal;
  tasks: Task[];
  quote: Quote | null;
}

async function loadDetails(api: Flywheel, dealId: string): Promise<DealDetails> {
  const [deal, tasks, quotes] = await Promise.all([
    api.get("/v1/deals/{deal_id}", { params: { path: { deal_id: dealId } } }),
    api.get("/v1/tasks", { params: { query: { deal_id: dealId, limit: 50 } } }),
    api.get("/v1/quotes", { params: { query: { deal_id: dealId, limit: 100 } } }),
  ]);
  // oldest first: the last is the deal's latest quote
  return { deal, tasks: tasks.items, quote: quotes.items.at(-1) ?? null };
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function Details({ details, stages }: { details: DealDetails; stages: StageInfo[] }) {
  const { deal, tasks, quote } = details;
  const fields = Object.entries(deal.fields ?? {});
  const stage = stages.find((entry) => entry.id === deal.stage);
  return (
    <>
      <dl class="facts">
        <dt>Stage</dt>
        <dd>
          {stageName(stages, deal.stage)} <span class="badge">{deal.status}</span>
        </dd>
        <dt>Amount</dt>
        <dd>{formatMoney(deal.amount, deal.currency)}</dd>
        <dt>Customer</dt>
        <dd>{deal.customer_id ? <Link href={`/customers/${deal.customer_id}`}>{deal.customer_id}</Link> : "erased"}</dd>
        <dt>Owner</dt>
        <dd>{deal.owner ?? "unassigned"}</dd>
        <dt>Products</dt>
        <dd>{(deal.products ?? []).join(", ") || "–"}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(deal.created_at)}</dd>
        {deal.close_reason ? (
          <>
            <dt>Closed because</dt>
            <dd>{deal.close_reason}</dd>
          </>
        ) : null}
        {fields.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{name}</dt>
            <dd>{show(value)}</dd>
          </Fragment>
        ))}
      </dl>
      <h3>What keeps it in its stage</h3>
      {(deal.blockers ?? []).length === 0 ? (
        <p>Nothing: it may move on.</p>
      ) : (
        <ul class="blockers">
          {(deal.blockers ?? []).map((blocker) => (
            <li key={blocker}>
              <code>{blocker}</code>: {explainBlocker(blocker, stage)}
            </li>
          ))}
        </ul>
      )}
      <h3>Stage history</h3>
      <ol class="history">
        {(deal.stage_history ?? []).map((entry) => (
          <li key={`${entry.stage}-${entry.entered_at}`}>
            <strong>{stageName(stages, entry.stage)}</strong>: {formatDateTime(entry.entered_at)}
            {entry.left_at ? ` to ${formatDateTime(entry.left_at)}` : " (now)"}
            {entry.override_reason ? (
              <span class="override-note">
                {" "}
                moved on anyway ({(entry.overridden ?? []).join(", ")}): {entry.override_reason}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <h3>Tasks</h3>
      {tasks.length === 0 ? (
        <p>No tasks for this deal.</p>
      ) : (
        <ul class="deal-tasks">
          {tasks.map((task) => (
            <li key={task.task_id}>
              <span class={`badge ${task.status === "done" ? "ok" : "warn"}`}>{task.status}</span> {task.title}
              {task.due_at ? <span class="muted"> · due {formatDateTime(task.due_at)}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <h3>Quote</h3>
      {quote === null ? (
        <p>No quote recorded on this deal.</p>
      ) : (
        <p>
          {formatMoney(quote.total, quote.currency)} with {quote.discount_percent}% off:{" "}
          <span class="badge">{quote.status.replace("_", " ")}</span>{" "}
          {quote.status === "pending_approval" ? <Link href="/sales/quotes">Quotes awaiting approval</Link> : null}
        </p>
      )}
    </>
  );
}

export function DealDetail({
  dealId,
  stages,
  onClose,
}: {
  dealId: string;
  stages: StageInfo[];
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const loaded = useLoad((api) => loadDetails(api, dealId), [dealId]);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="drawer" aria-labelledby="deal-detail-title" onClose={onClose} data-testid="deal-detail">
      <header class="drawer-header">
        <h2 id="deal-detail-title">{loaded.data?.deal.title ?? "Deal"}</h2>
        <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      {loaded.error !== undefined ? <ProblemAlert error={loaded.error} /> : null}
      {loaded.loading && loaded.data === undefined ? <Loading label="Loading the deal" /> : null}
      {loaded.data !== undefined ? <Details details={loaded.data} stages={stages} /> : null}
      {!loaded.loading && loaded.data === undefined && loaded.error === undefined ? (
        <EmptyState title="No such deal">Close this panel and pick a deal on the board.</EmptyState>
      ) : null}
    </dialog>
  );
}
