/** The customer's events, newest first, a page at a time (GET .../timeline): a list that reads on a phone too. */
import { usePaged } from "../../api.ts";
import { formatDateTime } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading, Section } from "../../ui/states.tsx";
import { type TimelineItem, traitText } from "./people.ts";

/** The first few fields of an event's data, enough to tell events apart (the customer's identifiers left out:
 * they are the page's subject). */
function summary(item: TimelineItem): string {
  const entries = Object.entries(item.data ?? {}).filter(
    ([name, value]) => name !== "customer" && value !== null && value !== "",
  );
  const shown = entries.slice(0, 4).map(([name, value]) => {
    const text = traitText(value);
    return `${name}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
  });
  return shown.join(" · ") + (entries.length > 4 ? " …" : "");
}

export function Timeline({ customerId }: { customerId: string }) {
  const list = usePaged(
    (api, cursor) =>
      api.get("/v1/customers/{customer_id}/timeline", {
        params: { path: { customer_id: customerId }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
      }),
    [customerId],
  );
  let body;
  if (list.error !== undefined && list.items.length === 0) {
    body = <ProblemAlert error={list.error} />;
  } else if (list.loading && list.items.length === 0) {
    body = <Loading label="Loading the timeline" />;
  } else if (list.items.length === 0) {
    body = <EmptyState title="No events yet">Events sent for this customer (POST /v1/events) show here.</EmptyState>;
  } else {
    body = (
      <>
        <ol class="timeline" data-testid="customer-timeline">
          {list.items.map((item) => (
            <li key={item.event_id}>
              <div class="timeline-head">
                <time dateTime={item.occurred_at}>{formatDateTime(item.occurred_at)}</time>
                <strong class="timeline-type">{item.type}</strong>
                {item.source ? <span class="hint">from {item.source}</span> : null}
              </div>
              <div class="details">{summary(item)}</div>
            </li>
          ))}
        </ol>
        <ProblemAlert error={list.error} />
        {list.more ? (
          <button type="button" class="secondary" onClick={list.loadMore} disabled={list.loading}>
            {list.loading ? "Loading…" : "Load more"}
          </button>
        ) : null}
      </>
    );
  }
  return (
    <Section title="Timeline" id="timeline">
      {body}
    </Section>
  );
}
