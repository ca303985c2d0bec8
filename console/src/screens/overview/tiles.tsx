/** The headline KPIs of the period, each with its change against the previous period of the same length. */
import type { Loaded } from "../../api.ts";
import { formatMoney, formatNumber, formatShare } from "../../ui/format.ts";
import { KpiTile } from "../../ui/kpi.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";
import { Loading } from "../../ui/states.tsx";
import { type KpiNode, type KpiTree, type OverviewReport, toNumber } from "./data.ts";

type Unit = KpiNode["unit"];

export function formatValue(value: number | string | null | undefined, unit: Unit, currency?: string | null): string {
  if (unit === "money") return formatMoney(value, currency);
  if (unit === "ratio") return formatShare(toNumber(value));
  return formatNumber(value);
}

/** "▲ 12% vs previous period", green when the move is good (down for lower-is-better KPIs). */
export function Change({
  change,
  lowerIsBetter = false,
  snapshot = false,
}: {
  change: number | null | undefined;
  lowerIsBetter?: boolean | undefined;
  snapshot?: boolean | undefined;
}) {
  if (snapshot) return <span>as of now</span>;
  if (change === null || change === undefined) return <span>no previous value</span>;
  // below what one decimal of a percentage shows: no move worth a colour
  if (Math.abs(change) < 0.0005) return <span>unchanged vs previous period</span>;
  const up = change > 0;
  const good = up !== lowerIsBetter;
  return (
    <span class={good ? "good" : "bad"}>
      <span aria-hidden="true">{up ? "▲" : "▼"} </span>
      {up ? "up" : "down"} {formatShare(Math.abs(change))} vs previous period
    </span>
  );
}

interface TileSpec {
  name: string;
  testId: string;
  node: KpiNode | undefined;
}

function Tile({ spec, currency }: { spec: TileSpec; currency: string | null | undefined }) {
  const { node } = spec;
  return (
    <KpiTile
      name={spec.name}
      testId={`kpi-${spec.testId}`}
      value={node ? formatValue(node.value, node.unit, currency) : "–"}
      note={
        node ? <Change change={node.change} lowerIsBetter={node.lower_is_better} snapshot={node.snapshot} /> : null
      }
    />
  );
}

/** Buyers of the period who had bought before: purchasing customers less the new ones (first purchase). */
function returningNode(overview: OverviewReport | undefined, tree: KpiTree): KpiNode | undefined {
  const buyers = overview?.kpis.purchasing_customers;
  const fresh = tree.scale.new_customers;
  if (!buyers || !fresh) return undefined;
  const minus = (a: unknown, b: unknown): number | null => {
    const left = toNumber(a as number | string | null);
    const right = toNumber(b as number | string | null);
    return left === null || right === null ? null : Math.max(0, left - right);
  };
  const value = minus(buyers.value, fresh.value);
  const previous = minus(buyers.previous, fresh.previous);
  const change =
    value === null || previous === null || previous === 0
      ? null
      : Math.round(((value - previous) / previous) * 10000) / 10000;
  return { ...fresh, value, previous, change, target: null, bar: null, progress: null, status: "no_target" };
}

export function KpiTiles({ tree, overview }: { tree: Loaded<KpiTree>; overview: Loaded<OverviewReport> }) {
  if (tree.error !== undefined) return <ProblemAlert error={tree.error} />;
  if (tree.data === undefined) return <Loading label="Loading the KPIs" />;
  const { scale, behaviour, financial, currency } = tree.data;
  const specs: TileSpec[] = [
    { name: "Revenue", testId: "revenue", node: financial.revenue },
    { name: "New customers", testId: "new-customers", node: scale.new_customers },
    { name: "Returning customers", testId: "returning-customers", node: returningNode(overview.data, tree.data) },
    { name: "Repurchase rate", testId: "repurchase-rate", node: behaviour.repurchase_rate },
    { name: "LTV", testId: "ltv", node: financial.ltv },
    { name: "CAC", testId: "cac", node: financial.cac },
    { name: "LTV:CAC", testId: "ltv-to-cac", node: financial.ltv_to_cac },
    { name: "Referral share", testId: "referral-share", node: financial.referral_share },
    { name: "NPS", testId: "nps", node: behaviour.nps },
  ];
  return (
    <>
      <div class="kpis" data-testid="kpi-tiles">
        {specs.map((spec) => (
          <Tile key={spec.testId} spec={spec} currency={currency} />
        ))}
      </div>
      <ProblemAlert error={overview.error} />
    </>
  );
}
