/**
 * The pipeline as columns: one per stage in the pipeline's order, then Won and Lost; each holds its deals' cards.
 * Wide screens show the columns side by side; narrow ones scroll them sideways (the board is a focusable region,
 * so the keyboard scrolls it too).
 */
import { formatMoney } from "../../../ui/format.ts";
import type { Deal, DealSummary, StageInfo } from "../pipeline.ts";
import { DealCard } from "./deal-card.tsx";

interface Column {
  id: string;
  name: string;
  note?: string;
  deals: DealSummary[];
}

/** Totals per currency ("4,200.00 EUR"), several currencies listed side by side. */
function total(deals: DealSummary[]): string {
  const sums = new Map<string, number>();
  for (const deal of deals) sums.set(deal.currency, (sums.get(deal.currency) ?? 0) + Number(deal.amount));
  return [...sums].map(([currency, sum]) => formatMoney(sum, currency)).join(" + ");
}

function columnsOf(stages: StageInfo[], deals: DealSummary[]): Column[] {
  const known = new Set(stages.map((stage) => stage.id));
  const open = deals.filter((deal) => deal.status === "open");
  const columns: Column[] = stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    note: `${Math.round(stage.probability * 100)}% win chance`,
    deals: open.filter((deal) => deal.stage === stage.id),
  }));
  const strays = open.filter((deal) => !known.has(deal.stage));
  if (strays.length > 0) columns.push({ id: "other", name: "Other stages", deals: strays });
  columns.push({ id: "won", name: "Won", deals: deals.filter((deal) => deal.status === "won") });
  columns.push({ id: "lost", name: "Lost", deals: deals.filter((deal) => deal.status === "lost") });
  return columns;
}

export function Board({
  stages,
  deals,
  mayWrite,
  onChanged,
  onOpen,
  lastMoved,
}: {
  stages: StageInfo[];
  deals: DealSummary[];
  mayWrite: boolean;
  onChanged: (deal: Deal) => void;
  onOpen: (dealId: string) => void;
  /** The deal moved (or closed) last, whose card takes the focus. */
  lastMoved: string | null;
}) {
  return (
    // focusable: keyboard users scroll the region too (axe: scrollable-region-focusable)
    <div class="board" role="region" aria-label="Pipeline board" tabIndex={0} data-testid="sales-board">
      {columnsOf(stages, deals).map((column) => {
        const headingId = `column-${column.id}-heading`;
        return (
          <section
            key={column.id}
            class={`board-column column-${column.id}`}
            aria-labelledby={headingId}
            data-testid={`column-${column.id}`}
          >
            <header class="column-header">
              <h2 id={headingId}>
                {column.name} <span class="count">({column.deals.length})</span>
              </h2>
              <p class="column-note">
                {column.deals.length > 0 ? total(column.deals) : "No deals"}
                {column.note ? ` · ${column.note}` : ""}
              </p>
            </header>
            <ul class="column-deals">
              {column.deals.map((deal) => (
                <li key={deal.deal_id}>
                  <DealCard
                    deal={deal}
                    stages={stages}
                    mayWrite={mayWrite}
                    onChanged={onChanged}
                    onOpen={onOpen}
                    justMoved={deal.deal_id === lastMoved}
                  />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
