/** Quotes: those awaiting a manager's approval first (GET /v1/quotes?status=pending_approval), to approve or reject,
 * or the workspace's quotes of another status; and any quote opened by its id. */
import { useState } from "preact/hooks";

import { useLoad, usePaged } from "../api.ts";
import { useMay } from "../session.ts";
import { ProblemAlert } from "../ui/problem.tsx";
import { EmptyState, Loading, PageHeader, Section } from "../ui/states.tsx";
import { type Column, PagedTable, Table } from "../ui/table.tsx";
import { type Decided, quoteColumns, STATUS } from "./sales/quote-columns.tsx";
import { type Quote, type QuoteStatus, type QuoteSummary, quoteById, quotesOf } from "./sales/quote-source.ts";
import { SalesNav } from "./sales/sales-nav.tsx";
import { ChoiceFilter } from "../ui/choice.tsx";

type Shown = QuoteStatus | "all";
const SHOWN: { value: Shown; label: string }[] = [
  { value: "pending_approval", label: STATUS.pending_approval.label },
  { value: "open", label: "Open (within the threshold)" },
  { value: "approved", label: STATUS.approved.label },
  { value: "rejected", label: STATUS.rejected.label },
  { value: "accepted", label: STATUS.accepted.label },
  { value: "all", label: "All quotes" },
];

function emptyText(shown: Shown): { title: string; next: string } {
  if (shown === "pending_approval") {
    return {
      title: "No quotes wait for approval",
      next: "A quote whose discount is above the threshold in the sales settings waits here for a manager's decision.",
    };
  }
  const label = SHOWN.find((option) => option.value === shown)?.label.toLowerCase() ?? "";
  return { title: `No ${shown === "all" ? "quotes" : `${label} quotes`} yet`, next: "Quotes are made on a deal (POST /v1/deals/{id}/quotes)." };
}

/** Any quote by its id, whatever its status. */
function QuoteById({ columns }: { columns: Column<QuoteSummary>[] }) {
  const [draft, setDraft] = useState("");
  const [quoteId, setQuoteId] = useState("");
  const found = useLoad(async (api) => (quoteId === "" ? null : quoteById(api, quoteId)), [quoteId]);
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
        <div class="stack-on-phone">
          <Table rows={[found.data]} columns={columns} rowKey={(row) => row.quote_id} caption="The quote asked for" />
        </div>
      ) : null}
    </>
  );
}

export function SalesQuotes() {
  const [shown, setShown] = useState<Shown>("pending_approval");
  const list = usePaged<QuoteSummary>((api, cursor) => quotesOf(api, shown === "all" ? undefined : shown, cursor), [shown]);
  const may = useMay("sales:approve");
  const decided: Decided = useState<Record<string, Quote>>({});
  const empty = emptyText(shown);
  const label = SHOWN.find((option) => option.value === shown)?.label ?? "";
  return (
    <>
      <PageHeader title="Quotes" lead="Discounts above the workspace's approval threshold wait for a manager's decision." />
      <SalesNav />
      <Section title={shown === "all" ? "All quotes" : label} id="pending-quotes">
        <ChoiceFilter id="quote-filter" label="Show" value={shown} options={SHOWN} onChange={setShown} />
        <div class="stack-on-phone">
          <PagedTable
            list={list}
            columns={quoteColumns(may, decided, "list")}
            rowKey={(row) => row.quote_id}
            caption={`Quotes: ${label.toLowerCase()}, oldest first`}
            testId="pending-quotes"
            empty={<EmptyState title={empty.title}>{empty.next}</EmptyState>}
          />
        </div>
      </Section>
      <Section title="Open a quote" id="quote-by-id">
        <QuoteById columns={quoteColumns(may, decided, "by-id")} />
      </Section>
    </>
  );
}
