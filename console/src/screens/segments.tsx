/** Dynamic segments (GET /v1/segments, paged): each with its size and condition, linking to its editor. */
import type { components } from "../../../clients/typescript/src/index.ts";
import { usePaged } from "../api.ts";
import { BASE, Link, navigate } from "../router.tsx";
import { useMay } from "../session.ts";
import { formatDateTime, formatInteger } from "../ui/format.ts";
import { EmptyState, PageHeader } from "../ui/states.tsx";
import { PagedTable } from "../ui/table.tsx";
import "./segments/segments.css";
import { conditionText } from "./segments/summary.ts";

type Segment = components["schemas"]["Segment"];

/** "New segment" is a link (it opens a screen) that writes: marked data-write, which `<Link>` does not pass on. */
function follow(event: MouseEvent): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate("/segments/new");
}

export function Segments() {
  const may = useMay("segments:write");
  const segments = usePaged<Segment>(
    (api, cursor) => api.get("/v1/segments", { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }),
    [],
  );
  return (
    <>
      <PageHeader
        title="Segments"
        lead="Customers grouped by a condition on their stats, scores, loyalty and traits, kept current as events arrive."
        actions={
          may ? (
            <a href={`${BASE}/segments/new`} class="button primary" data-write data-testid="new-segment" onClick={follow}>
              New segment
            </a>
          ) : null
        }
      />
      <PagedTable
        list={segments}
        caption="Segments with their sizes"
        testId="segments-table"
        rowKey={(segment) => segment.segment_id}
        columns={[
          {
            title: "Segment",
            cell: (segment) => (
              <>
                <Link href={`/segments/${encodeURIComponent(segment.segment_id)}`}>{segment.name}</Link>
                <div class="condition-text">{conditionText(segment.condition)}</div>
              </>
            ),
          },
          {
            title: "Members",
            numeric: true,
            cell: (segment) => <span data-testid="segment-members-count">{formatInteger(segment.members)}</span>,
          },
          {
            title: "Status",
            cell: (segment) =>
              segment.status === "failing" ? <span class="badge bad">failing</span> : <span class="badge ok">active</span>,
          },
          { title: "Updated", cell: (segment) => formatDateTime(segment.updated_at) },
        ]}
        empty={
          <EmptyState title="No segments yet">
            {may
              ? "Create one with “New segment”: pick a field, an operator and a value, and see who matches."
              : "Segments are created with a key that may write them (segments:write)."}
          </EmptyState>
        }
      />
    </>
  );
}
