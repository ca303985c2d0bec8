/**
 * Where the quotes screen finds quotes. The public API has no list of quotes (only GET /v1/quotes/{id}), and a
 * deal's answer does not name its quotes; so the screen reads the open deals and the quote each names in its
 * `quote_id` field (the convention `flywheel demo` follows: it sets the field when it quotes a deal), and opens
 * any other quote by its id.
 */
import type { components } from "../../../../clients/typescript/src/index.ts";
import type { Flywheel, Page } from "../../api.ts";

export type Quote = components["schemas"]["Quote"];
type Deal = components["schemas"]["Deal"];

export interface QuotedDeal {
  quote: Quote;
  deal: Pick<Deal, "deal_id" | "title" | "owner" | "customer_id">;
}

/** The deal field holding the id of the deal's quote. */
export const QUOTE_FIELD = "quote_id";
const DEALS_PER_PAGE = 25;
/** Pages of deals read for one page of the screen before it stops and offers "Load more". */
const PAGES_PER_LOAD = 4;

async function quoteOfDeal(api: Flywheel, dealId: string): Promise<QuotedDeal | null> {
  const deal = await api.get("/v1/deals/{deal_id}", { params: { path: { deal_id: dealId } } });
  const quoteId = deal.fields?.[QUOTE_FIELD];
  if (typeof quoteId !== "string" || quoteId === "") return null;
  const quote = await api.get("/v1/quotes/{quote_id}", { params: { path: { quote_id: quoteId } } });
  return { quote, deal };
}

/** Open deals' quotes awaiting approval, reading deals a page at a time until some are found (or none are left). */
export async function pendingQuotes(api: Flywheel, cursor: string | undefined): Promise<Page<QuotedDeal>> {
  let after = cursor;
  const found: QuotedDeal[] = [];
  for (let read = 0; read < PAGES_PER_LOAD; read++) {
    const deals = await api.get("/v1/deals", {
      params: { query: { status: "open", limit: DEALS_PER_PAGE, ...(after ? { cursor: after } : {}) } },
    });
    const quoted = await Promise.all(deals.items.map((deal) => quoteOfDeal(api, deal.deal_id)));
    found.push(...quoted.filter((entry): entry is QuotedDeal => entry?.quote.status === "pending_approval"));
    after = deals.next_cursor ?? undefined;
    if (!after || found.length > 0) break;
  }
  return { items: found, next_cursor: after ?? null };
}
