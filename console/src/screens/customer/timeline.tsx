/** The customer's events, newest first, a page at a time (GET .../timeline). */
import { usePaged } from "../../api.ts";
import { formatDateTime } from "../../ui/format.ts";
import { type Column, PagedTable } from "../../ui/table.tsx";
import { EmptyState, Section } from "../../ui/states.tsx";
import { type TimelineItem, traitText } from "./people.ts";

/** The first few fields of an event's data, enough to tell events apart. */
function summary(item: TimelineItem): string {
  const entries = Object.entries(item.data ?? {}).filter(([, value]) => value !== null && value !== "");
  const shown = entries.slice(0, 4).map(([name, value]) => {
    const text = traitText(value);
    return `${name}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
  });
  return shown.join(" · ") + (entries.length > 4 ? " …" : "");
}

const COLUMNS: Column<TimelineItem>[] = [
  { title: "When", cell: (item) => formatDateTime(item.occurred_at) },
  { title: "Event", cell: (item) => <strong>{item.type}</strong> },
  { title: "Source", cell: (item) => item.source ?? "–" },
  { title: "Details", cell: (item) => <span class="details">{summary(item)}</span> },
];

export function Timeline({ customerId }: { customerId: string }) {
  const list = usePaged(
    (api, cursor) =>
      api.get("/v1/customers/{customer_id}/timeline", {
        params: { path: { customer_id: customerId }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
      }),
    [customerId],
  );
  return (
    <Section title="Timeline" id="timeline">
      <PagedTable
        list={list}
        columns={COLUMNS}
        rowKey={(item) => item.event_id}
        caption="The customer's events, newest first"
        testId="customer-timeline"
        empty={<EmptyState title="No events yet">Events sent for this customer (POST /v1/events) show here.</EmptyState>}
      />
    </Section>
  );
}
