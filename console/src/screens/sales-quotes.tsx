/** Quotes awaiting approval: open deals' quotes whose discount is above the workspace threshold, to approve or reject. */
import { useState } from "preact/hooks";

import { useLoad, usePaged } from "../api.ts";
import { Link } from "../router.tsx";
import { useMay } from "../session.ts";
import { formatDateTime, formatMoney, formatNumber } from "../ui/format.ts";
import { ProblemAlert } from "../ui/problem.tsx";
import { EmptyState, Loading, PageHeader, Section } from "../ui/states.tsx";
import { type Column, PagedTable, Table } from "../ui/table.tsx";
import { QuoteDecision } from "./sales/quote-decision.tsx";
import { pendingQuotes, QUOTE_FIELD, type Quote, type QuotedDeal } from "./sales/quote-source.ts";
import { SalesNav } from "./sales/sales-nav.tsx";

const STATUS: Record<Quote["status"], { label: string; badge: string }> = {
  open: { label: "Open", badge: "" },
  pending_approval: { label: "Awaiting approval", badge: "warn" },
  approved: { label: "Approved", badge: "ok" },
  rejected: { label: "Rejected", badge: "bad" },
  accepted: { label: "Accepted", badge: "ok" },
};

type Decided = [Record<string, Quote>, (update: (previous: Record<string, Quote>) => Record<string, Quote>) => void];

function quoteColumns(may: boolean, [decided, setDecided]: Decided, where: string): Column<QuotedDeal>[] {
  const current = (row: QuotedDeal): Quote => decided[row.quote.quote_id] ?? row.quote;
  const columns: Column<QuotedDeal>[] = [
    {
      title: "Deal",
      cell: (row) => (
        <div>
          <Link href={`/sales?deal=${encodeURIComponent(row.deal.deal_id)}`}>{row.deal.title}</Link>
          <div class="muted">{row.deal.owner ? `Owner ${row.deal.owner}` : "No owner"}</div>
        </div>
      ),
    },
    { title: "Quote", cell: (row) => <code data-testid="quote-id">{row.quote.quote_id}</code> },
    {
      title: "Discount",
      numeric: true,
      cell: (row) => `${formatNumber(row.quote.discount_percent)}% (limit ${formatNumber(row.quote.threshold_percent)}%)`,
    },
    { title: "Total", numeric: true, cell: (row) => formatMoney(row.quote.total, row.quote.currency) },
    { title: "Quoted", cell: (row) => formatDateTime(row.quote.created_at) },
    {
      title: "Status",
      cell: (row) => {
        const quote = current(row);
        const status = STATUS[quote.status];
        return (
          <span>
            <span class={`badge ${status.badge}`} data-testid={`quote-status-${quote.quote_id}`}>
              {status.label}
            </span>
            {quote.approver ? <span class="muted"> by {quote.approver}</span> : null}
          </span>
        );
      },
    },
  ];
  if (may) {
    columns.push({
      title: "Decision",
      cell: (row) => (
        <QuoteDecision
          where={where}
          quote={current(row)}
          onDecided={(quote) => setDecided((previous) => ({ ...previous, [quote.quote_id]: quote }))}
        />
      ),
    });
  }
  return columns;
}

/** Any quote by its id (one not named by a deal's field). */
function QuoteById({ columns }: { columns: Column<QuotedDeal>[] }) {
  const [draft, setDraft] = useState("");
  const [quoteId, setQuoteId] = useState("");
  const found = useLoad(
    async (api) => {
      if (quoteId === "") return null;
      const quote = await api.get("/v1/quotes/{quote_id}", { params: { path: { quote_id: quoteId } } });
      const deal = await api.get("/v1/deals/{deal_id}", { params: { path: { deal_id: quote.deal_id } } });
      return { quote, deal };
    },
    [quoteId],
  );
  return (
    <>
      <form
        class="find"
        onSubmit={(event) => {
          event.preventDefault();
          setQuoteId(draft.trim());
        }}
      >
        <div>
          <label for="quote-id">Quote id</label>
          <input id="quote-id" value={draft} onInput={(event) => setDraft((event.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="secondary">
          Open quote
        </button>
      </form>
      <ProblemAlert error={found.error} />
      {quoteId !== "" && found.loading ? <Loading /> : null}
      {found.data ? (
        <Table rows={[found.data]} columns={columns} rowKey={(row) => row.quote.quote_id} caption="The quote asked for" />
      ) : null}
    </>
  );
}

export function SalesQuotes() {
  const list = usePaged<QuotedDeal>((api, cursor) => pendingQuotes(api, cursor), []);
  const may = useMay("sales:approve");
  // Quotes decided here, as the API answered: a row shows the decision until the list is read again.
  const decided = useState<Record<string, Quote>>({});
  return (
    <>
      <PageHeader title="Quotes" lead="Discounts above the workspace's approval threshold wait for a manager's decision." />
      <SalesNav />
      <Section title="Awaiting approval" id="pending-quotes">
        <p class="hint">
          The API lists no quotes, so this screen reads the open deals and the quote each names in its{" "}
          <code>{QUOTE_FIELD}</code> field (as <code>flywheel demo</code> sets it). Open any other quote by its id below.
        </p>
        <div class="stack-on-phone">
          <PagedTable
            list={list}
            columns={quoteColumns(may, decided, "pending")}
            rowKey={(row) => row.quote.quote_id}
            caption="Quotes awaiting approval, by deal"
            testId="pending-quotes"
            empty={
              <EmptyState title="No quotes wait for approval">
                A quote whose discount is above the threshold in the sales settings waits here; set a deal's{" "}
                <code>{QUOTE_FIELD}</code> field to its quote's id, or open the quote by its id below.
              </EmptyState>
            }
          />
        </div>
      </Section>
      <Section title="Open a quote" id="quote-by-id">
        <QuoteById columns={quoteColumns(may, decided, "by-id")} />
      </Section>
    </>
  );
}
