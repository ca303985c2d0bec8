/**
 * The Sales board (/console/sales): a pipeline's stages as columns and its deals as cards, loaded a page at a time
 * with the API's cursors. Moving a card goes through POST /v1/deals/{id}/move, so the pipeline's rules decide; a
 * refused move shows the blockers the API names. `?pipeline=<id>` keeps the chosen pipeline in the address.
 */
import { useMemo, useState } from "preact/hooks";

import { useLoad, usePaged } from "../api.ts";
import { useRoute } from "../router.tsx";
import { useMay } from "../session.ts";
import { ProblemAlert } from "../ui/problem.tsx";
import { EmptyState, Loading, PageHeader } from "../ui/states.tsx";
import { Board } from "./sales/board/board.tsx";
import { DealDetail } from "./sales/board/deal-detail.tsx";
import {
  defaultPipeline,
  type Deal,
  type DealSummary,
  loadPipelines,
  type Pipeline,
  stageName,
  stagesOf,
} from "./sales/pipeline.ts";
import { PipelinePicker } from "./sales/pipeline-picker.tsx";
import { SalesNav } from "./sales/sales-nav.tsx";
import "./sales/sales.css";

const PAGE_SIZE = 100;

function PipelineBoard({ pipeline }: { pipeline: Pipeline }) {
  const mayWrite = useMay("sales:write");
  const stages = useMemo(() => stagesOf(pipeline), [pipeline]);
  const deals = usePaged<DealSummary>(
    (api, cursor) =>
      api.get("/v1/deals", {
        params: { query: { pipeline_id: pipeline.pipeline_id, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
      }),
    [pipeline.pipeline_id],
  );
  // Deals changed here (moved, won, lost) since the list was loaded: the API's answer replaces the listed deal.
  const [changed, setChanged] = useState<Record<string, Deal>>({});
  const [opened, setOpened] = useState<string | null>(null);
  const [lastMoved, setLastMoved] = useState<{ id: string; said: string } | null>(null);
  const shown = deals.items.map((deal) => changed[deal.deal_id] ?? deal);

  if (deals.error !== undefined && deals.items.length === 0) return <ProblemAlert error={deals.error} />;
  if (deals.loading && deals.items.length === 0) return <Loading label="Loading the deals" />;
  return (
    <>
      {shown.length === 0 ? (
        <EmptyState title="No deals in this pipeline yet">
          Create one with POST /v1/deals (or from the customer's page), or pick another pipeline.
        </EmptyState>
      ) : null}
      <Board
        stages={stages}
        deals={shown}
        mayWrite={mayWrite}
        onChanged={(deal) => {
          setChanged((previous) => ({ ...previous, [deal.deal_id]: deal }));
          const where = deal.status === "open" ? `moved to ${stageName(stages, deal.stage)}` : deal.status;
          setLastMoved({ id: deal.deal_id, said: `“${deal.title}” ${where}.` });
        }}
        onOpen={setOpened}
        lastMoved={lastMoved?.id ?? null}
      />
      <p class="visually-hidden" role="status" aria-live="polite">
        {lastMoved?.said ?? ""}
      </p>
      <ProblemAlert error={deals.error} />
      {deals.more ? (
        <button type="button" class="secondary load-more" onClick={deals.loadMore} disabled={deals.loading}>
          {deals.loading ? "Loading…" : "Load more deals"}
        </button>
      ) : null}
      {opened !== null ? <DealDetail dealId={opened} stages={stages} onClose={() => setOpened(null)} /> : null}
    </>
  );
}

export function SalesBoard() {
  const { query } = useRoute();
  const pipelines = useLoad(loadPipelines, []);
  const chosen = defaultPipeline(pipelines.data ?? [], query.get("pipeline"));
  return (
    <>
      <PageHeader
        title="Sales board"
        lead="Deals by stage. A move follows the pipeline's rules: what blocks it is shown on the card."
        actions={
          chosen !== undefined && pipelines.data ? (
            <PipelinePicker pipelines={pipelines.data} chosen={chosen.pipeline_id} />
          ) : null
        }
      />
      <SalesNav />
      {pipelines.error !== undefined ? <ProblemAlert error={pipelines.error} /> : null}
      {pipelines.loading && pipelines.data === undefined ? <Loading label="Loading the pipelines" /> : null}
      {pipelines.data !== undefined && chosen === undefined ? (
        <EmptyState title="No pipelines">Store one with PUT /v1/pipelines/{"{id}"} to see its deals here.</EmptyState>
      ) : null}
      {chosen !== undefined ? <PipelineBoard key={chosen.pipeline_id} pipeline={chosen} /> : null}
    </>
  );
}
