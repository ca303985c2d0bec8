/**
 * The KPI tree drawn as a tree: growth at the root, its three levels (scale, behaviour, financial) as branches,
 * each metric a leaf with its value, the target that applies, and a progress bar coloured by its status.
 */
import type { Loaded } from "../../api.ts";
import { formatShare } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading } from "../../ui/states.tsx";
import type { KpiNode, KpiTargets, KpiTree } from "./data.ts";
import { Change, formatValue } from "./tiles.tsx";

const LEVELS: readonly { key: "scale" | "behaviour" | "financial"; title: string; lead: string }[] = [
  { key: "scale", title: "Scale", lead: "the customer base" },
  { key: "behaviour", title: "Behaviour", lead: "how customers behave" },
  { key: "financial", title: "Financial", lead: "what they bring" },
];

const NAMES: Record<string, string> = {
  customers: "Customers",
  new_customers: "New customers",
  active: "Active",
  dormant: "Dormant",
  reactivated: "Reactivated",
  repurchase_rate: "Repurchase rate",
  retention_90d: "90-day retention",
  visit_frequency: "Visit frequency",
  nps: "NPS",
  revenue: "Revenue",
  average_order_value: "Average order value",
  ltv: "LTV",
  cac: "CAC",
  ltv_to_cac: "LTV:CAC",
  referral_share: "Referral share",
  reward_cost: "Reward cost",
};

const STATUS: Record<KpiNode["status"], { text: string; tone: string }> = {
  on_track: { text: "on track", tone: "ok" },
  behind: { text: "behind", tone: "bad" },
  no_target: { text: "no target", tone: "" },
  unknown: { text: "no value", tone: "" },
};

function Leaf({ metric, node, currency }: { metric: string; node: KpiNode; currency: string | null | undefined }) {
  const name = NAMES[metric] ?? metric;
  const status = STATUS[node.status];
  const progress = node.progress ?? 0;
  return (
    <li class={`kpi-leaf status-${node.status}`} data-testid={`kpi-node-${metric}`}>
      <div class="kpi-leaf-head">
        <span class="kpi-leaf-name">{name}</span>
        <span class={`badge ${status.tone}`}>{status.text}</span>
      </div>
      <div class="kpi-leaf-value">{formatValue(node.value, node.unit, currency)}</div>
      <div class="kpi-leaf-target">
        {node.target === null || node.target === undefined
          ? "No target for this period"
          : `Target ${formatValue(node.target, node.unit, currency)}${node.lower_is_better ? " or less" : ""}`}
      </div>
      {node.progress === null || node.progress === undefined ? null : (
        <div
          class="progress"
          role="progressbar"
          aria-label={`${name}: progress to its target`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(Math.min(progress, 1) * 100)}
          aria-valuetext={formatShare(progress)}
        >
          <span style={{ width: `${Math.min(progress, 1) * 100}%` }} />
        </div>
      )}
      <div class="kpi-note">
        <Change change={node.change} lowerIsBetter={node.lower_is_better} snapshot={node.snapshot} />
      </div>
    </li>
  );
}

export function KpiTreeView({ tree, targets }: { tree: Loaded<KpiTree>; targets: Loaded<KpiTargets> }) {
  if (tree.error !== undefined) return <ProblemAlert error={tree.error} />;
  if (tree.data === undefined) return <Loading label="Loading the KPI tree" />;
  const data = tree.data;
  const targetCount = targets.data?.items.filter((item) => item.period === data.target_period).length ?? 0;
  return (
    <div class="kpi-tree" data-testid="kpi-tree">
      <div class="kpi-root">
        <strong>Growth</strong>
        <span>
          {data.target_period
            ? `Targets of ${data.target_period}: ${targetCount} set`
            : "Pick a month, quarter or year to measure against targets"}
        </span>
      </div>
      <ul class="kpi-levels">
        {LEVELS.map((level) => (
          <li key={level.key} class="kpi-level">
            <div class="kpi-level-head">
              <strong>{level.title}</strong> <span>{level.lead}</span>
            </div>
            <ul class="kpi-leaves">
              {Object.entries(data[level.key]).map(([metric, node]) => (
                <Leaf key={metric} metric={metric} node={node} currency={data.currency} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {targets.error !== undefined ? <ProblemAlert error={targets.error} /> : null}
      {data.target_period && targetCount === 0 && targets.data ? (
        <EmptyState title="No targets for this period">
          Set them with <code>PUT /v1/kpi-targets</code> to see progress here.
        </EmptyState>
      ) : null}
    </div>
  );
}
