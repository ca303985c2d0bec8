/** The quotes table's columns: the deal and its customer, the quote and who asked, the amounts, the status and the
 * decision. */
import { Link } from "../../router.tsx";
import { formatDateTime, formatMoney, formatNumber } from "../../ui/format.ts";
import type { Column } from "../../ui/table.tsx";
import { QuoteDecision } from "./quote-decision.tsx";
import type { Quote, QuoteStatus, QuoteSummary } from "./quote-source.ts";

export const STATUS: Record<QuoteStatus, { label: string; badge: string }> = {
  open: { label: "Open", badge: "" },
  pending_approval: { label: "Awaiting approval", badge: "warn" },
  approved: { label: "Approved", badge: "ok" },
  rejected: { label: "Rejected", badge: "bad" },
  accepted: { label: "Accepted", badge: "ok" },
};

/** Quotes decided on this screen, as the API answered, by id: a row shows its decision until the list is read again. */
export type Decided = [Record<string, Quote>, (update: (previous: Record<string, Quote>) => Record<string, Quote>) => void];

export function quoteColumns(may: boolean, [decided, setDecided]: Decided, where: string): Column<QuoteSummary>[] {
  const current = (row: QuoteSummary): Pick<Quote, "quote_id" | "status" | "approver"> => decided[row.quote_id] ?? row;
  const columns: Column<QuoteSummary>[] = [
    {
      title: "Deal",
      cell: (row) => (
        <div>
          <Link href={`/sales?deal=${encodeURIComponent(row.deal_id)}`}>{row.deal_title}</Link>
          <div class="muted">{row.deal_owner ? `Owner ${row.deal_owner}` : "No owner"}</div>
          <div class="muted">
            {"Customer "}
            {row.customer_id ? (
              <Link class="id" href={`/customers/${encodeURIComponent(row.customer_id)}`}>
                {row.customer_id}
              </Link>
            ) : (
              "erased"
            )}
          </div>
        </div>
      ),
    },
    {
      title: "Quote",
      cell: (row) => (
        <div>
          <code data-testid="quote-id">{row.quote_id}</code>
          <div class="muted">
            {formatDateTime(row.created_at)}
            {row.requested_by ? ` by ${row.requested_by}` : ""}
          </div>
        </div>
      ),
    },
    {
      title: "Discount",
      numeric: true,
      cell: (row) => (
        <div>
          {formatNumber(row.discount_percent)}%<div class="muted">limit {formatNumber(row.threshold_percent)}%</div>
        </div>
      ),
    },
    {
      title: "Total",
      numeric: true,
      cell: (row) => (
        <div>
          {formatMoney(row.total, row.currency)}
          <div class="muted">of {formatMoney(row.subtotal, row.currency)}</div>
        </div>
      ),
    },
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
