/**
 * What the analytics screen shows, from the public API: GET /v1/sales-analytics for the pipeline and period (and
 * once per owner of its deals, for the win rate by owner) and GET /v1/sales-forecast.
 */
import type { components } from "../../../../../clients/typescript/src/index.ts";
import type { Flywheel } from "../../../api.ts";

export type SalesAnalytics = components["schemas"]["SalesAnalytics"];
export type SalesForecast = components["schemas"]["SalesForecast"];

export interface OwnerWinRate {
  owner: string;
  analytics: SalesAnalytics;
}

/** At most this many owners get a bar (those with the most deals): one analytics call each. */
const MAX_OWNERS = 8;

export const PERIODS: readonly { id: string; label: string; days: number | null }[] = [
  { id: "all", label: "All time", days: null },
  { id: "30d", label: "Last 30 days", days: 30 },
  { id: "90d", label: "Last 90 days", days: 90 },
  { id: "365d", label: "Last 12 months", days: 365 },
];

/** The period's start as the API takes it (RFC 3339, UTC), or undefined for all time. */
export function periodStart(periodId: string, now: number = Date.now()): string | undefined {
  const days = PERIODS.find((period) => period.id === periodId)?.days ?? null;
  if (days === null) return undefined;
  return `${new Date(now - days * 86_400_000).toISOString().slice(0, 19)}Z`;
}

export function analyticsOf(
  api: Flywheel,
  pipelineId: string,
  from: string | undefined,
  owner?: string,
): Promise<SalesAnalytics> {
  return api.get("/v1/sales-analytics", {
    params: {
      query: { pipeline_id: pipelineId, ...(from ? { from } : {}), ...(owner !== undefined ? { owner } : {}) },
    },
  });
}

/** The owners of the pipeline's deals (the first 500), those with the most deals first. */
async function ownersOf(api: Flywheel, pipelineId: string): Promise<string[]> {
  const page = await api.get("/v1/deals", { params: { query: { pipeline_id: pipelineId, limit: 500 } } });
  const counts = new Map<string, number>();
  for (const deal of page.items) {
    if (deal.owner) counts.set(deal.owner, (counts.get(deal.owner) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_OWNERS)
    .map(([owner]) => owner);
}

export async function winRatesByOwner(
  api: Flywheel,
  pipelineId: string,
  from: string | undefined,
): Promise<OwnerWinRate[]> {
  const owners = await ownersOf(api, pipelineId);
  return Promise.all(
    owners.map(async (owner) => ({ owner, analytics: await analyticsOf(api, pipelineId, from, owner) })),
  );
}

export async function forecastOf(api: Flywheel, months = 6): Promise<SalesForecast> {
  const answer = await api.get("/v1/sales-forecast", { params: { query: { months } } });
  // The operation also answers text/csv (asked for with Accept); the client asks for JSON.
  if (typeof answer === "string") throw new Error("the forecast came as CSV, not JSON");
  return answer;
}
