/** What the overview reads: the reports of the public API, each over the period picked (types from the API). */
import type { components } from "../../../../clients/typescript/src/index.ts";
import type { Flywheel } from "../../api.ts";
import type { Period, Window } from "./period.ts";

type Schemas = components["schemas"];
export type OverviewReport = Schemas["Overview"];
export type KpiTree = Schemas["KpiTree"];
export type KpiNode = Schemas["KpiNode"];
export type RetentionReport = Schemas["RetentionReportOut"];
export type AcquisitionReport = Schemas["AcquisitionReport"];
export type NpsReport = Schemas["NpsReport"];
export type KpiTargets = Schemas["KpiTargets"];

/** The JSON answer of a report that also speaks CSV (the client types its data as either). */
async function json<T extends object>(answer: Promise<T | string>): Promise<T> {
  const data = await answer;
  if (typeof data === "string") throw new Error("The report answered CSV, not JSON");
  return data;
}

export function loadOverview(api: Flywheel, window: Window): Promise<OverviewReport> {
  return api.get("/v1/reports/overview", { params: { query: { from: window.from, to: window.to } } });
}

/** The KPI tree of a calendar period by its name (its targets apply), else of the window. */
export function loadKpiTree(api: Flywheel, period: Period): Promise<KpiTree> {
  const query = period.targetPeriod
    ? { period: period.targetPeriod }
    : { from: period.window.from, to: period.window.to };
  return json(api.get("/v1/reports/kpi-tree", { params: { query } }));
}

export function loadRetention(api: Flywheel, window: Window): Promise<RetentionReport> {
  return json(
    api.get("/v1/reports/retention", { params: { query: { from: window.from, to: window.to, period: "month" } } }),
  );
}

export function loadAcquisition(api: Flywheel, window: Window): Promise<AcquisitionReport> {
  return json(api.get("/v1/reports/acquisition", { params: { query: { from: window.from, to: window.to } } }));
}

export function loadNps(api: Flywheel, window: Window): Promise<NpsReport> {
  return json(api.get("/v1/reports/nps", { params: { query: { from: window.from, to: window.to } } }));
}

export function loadTargets(api: Flywheel): Promise<KpiTargets> {
  return api.get("/v1/kpi-targets");
}

/** One point of the trend charts: a window's revenue, and its buyers split into new and returning. */
export interface TrendPoint {
  label: string;
  revenue: number | null;
  newBuyers: number | null;
  returningBuyers: number | null;
}

export function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "string" ? Number(value) : value;
  return Number.isFinite(number) ? number : null;
}

async function trendPoint(api: Flywheel, window: Window): Promise<TrendPoint> {
  const [overview, tree] = await Promise.all([
    loadOverview(api, window),
    loadKpiTree(api, { window, targetPeriod: undefined }),
  ]);
  const buyers = toNumber(overview.kpis.purchasing_customers?.value);
  const newBuyers = toNumber(tree.scale.new_customers?.value);
  return {
    label: window.label,
    revenue: toNumber(tree.financial.revenue?.value),
    newBuyers,
    returningBuyers: buyers === null || newBuyers === null ? null : Math.max(0, buyers - newBuyers),
  };
}

/** The trend over `windows`, two windows at a time (each report fans out to the services). */
export async function loadTrend(api: Flywheel, windows: Window[]): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (let index = 0; index < windows.length; index += 2) {
    points.push(...(await Promise.all(windows.slice(index, index + 2).map((window) => trendPoint(api, window)))));
  }
  return points;
}
