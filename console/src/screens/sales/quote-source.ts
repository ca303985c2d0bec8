/** Where the quotes screen reads quotes: GET /v1/quotes (a page at a time, of one status), and one quote by id. */
import type { components } from "../../../../clients/typescript/src/index.ts";
import type { Flywheel, Page } from "../../api.ts";

export type Quote = components["schemas"]["Quote"];
export type QuoteSummary = components["schemas"]["QuoteSummary"];
export type QuoteStatus = QuoteSummary["status"];

const QUOTES_PER_PAGE = 25;

/** The workspace's quotes of one status (all of them for `undefined`), oldest first. */
export function quotesOf(api: Flywheel, status: QuoteStatus | undefined, cursor: string | undefined): Promise<Page<QuoteSummary>> {
  return api.get("/v1/quotes", {
    params: { query: { limit: QUOTES_PER_PAGE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
  });
}

/** One quote by its id, as a row of the list (its deal read for the title, owner and customer). */
export async function quoteById(api: Flywheel, quoteId: string): Promise<QuoteSummary> {
  const quote = await api.get("/v1/quotes/{quote_id}", { params: { path: { quote_id: quoteId } } });
  const deal = await api.get("/v1/deals/{deal_id}", { params: { path: { deal_id: quote.deal_id } } });
  return { ...quote, deal_title: deal.title, deal_owner: deal.owner, customer_id: deal.customer_id };
}
