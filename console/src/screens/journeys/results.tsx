/**
 * What a journey did (GET …/stats and …/lift): the funnel from enrolment to the goal, where enrolments are now,
 * A/B variants, the lift over the held-out customers, and its messages' deliveries.
 */
import type { components } from "../../../../clients/typescript/src/index.ts";
import { Chart, type ChartOption } from "../../ui/chart.tsx";
import { formatInteger, formatMoney, formatNumber, formatShare } from "../../ui/format.ts";
import { KpiTile } from "../../ui/kpi.tsx";
import { EmptyState } from "../../ui/states.tsx";
import { Table } from "../../ui/table.tsx";

export type Stats = components["schemas"]["JourneyStats"];
export type Lift = components["schemas"]["JourneyLift"];
type Difference = components["schemas"]["Difference"];

/** Entered → reached the end of a path or the goal → converted; and where those in flight are, step by step. */
export function Funnel({ stats, stepOrder }: { stats: Stats; stepOrder: readonly string[] }) {
  const finished = stats.completed + stats.converted;
  const stages = [
    { name: "Entered", value: stats.entered },
    { name: "Finished (end or goal)", value: finished },
    { name: "Converted (goal)", value: stats.converted },
  ];
  // bars, not a funnel's trapezes: the stages differ by orders of magnitude, and a bar keeps its label readable
  const funnel: ChartOption = {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: stages.map((stage) => stage.name) },
    series: [
      {
        name: "Enrolments",
        type: "bar",
        barMaxWidth: 36,
        label: { show: true, position: "right", formatter: "{c}" },
        data: stages.map((stage) => stage.value),
      },
    ],
  };
  const steps = [...(stats.steps ?? [])].sort((a, b) => stepOrder.indexOf(a.step_id) - stepOrder.indexOf(b.step_id));
  const perStep: ChartOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: steps.map((step) => step.step_id) },
    series: [
      { name: "Active", type: "bar", stack: "here", data: steps.map((step) => step.active) },
      { name: "Waiting", type: "bar", stack: "here", data: steps.map((step) => step.waiting) },
    ],
  };
  return (
    <>
      <div class="kpis">
        <KpiTile name="Entered" value={formatInteger(stats.entered)} testId="journey-entered" />
        <KpiTile name="In flight" value={formatInteger(stats.in_flight)} note={`${formatInteger(stats.waiting)} waiting`} />
        <KpiTile name="Converted" value={formatInteger(stats.converted)} />
        <KpiTile name="Completed" value={formatInteger(stats.completed)} />
        <KpiTile name="Exited early" value={formatInteger(stats.exited)} />
      </div>
      {stats.entered === 0 ? (
        <EmptyState title="Nobody has entered yet">
          Customers enter when the trigger happens while the journey is active; activate it, then watch the funnel
          fill.
        </EmptyState>
      ) : (
        <div class="grid">
          <div>
            <h3>From entry to the goal</h3>
            <Chart
              option={funnel}
              height={220}
              testId="journey-funnel"
              label={`Funnel: ${stages.map((stage) => `${stage.name} ${stage.value}`).join(", ")}`}
            />
          </div>
          <div>
            <h3>In flight, step by step</h3>
            {steps.length === 0 ? (
              <p class="lead">No enrolment is in flight now.</p>
            ) : (
              <Chart
                option={perStep}
                height={Math.max(160, 48 + steps.length * 32)}
                testId="journey-steps-chart"
                label={`Enrolments in flight per step: ${steps
                  .map((step) => `${step.step_id} ${step.active} active, ${step.waiting} waiting`)
                  .join("; ")}`}
              />
            )}
          </div>
        </div>
      )}
    </>
  );
}

export function Variants({ stats, hasSplit }: { stats: Stats; hasSplit: boolean }) {
  const variants = stats.variants ?? [];
  if (variants.length === 0) {
    return hasSplit ? (
      <EmptyState title="Nobody has reached the split yet">Each variant's conversions show here once it has.</EmptyState>
    ) : (
      <EmptyState title="No A/B split">Add a split step to the journey to compare variants.</EmptyState>
    );
  }
  const option: ChartOption = {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: variants.map((variant) => variant.variant) },
    yAxis: { type: "value", axisLabel: { formatter: (value: number) => formatShare(value) } },
    series: [{ name: "Conversion rate", type: "bar", data: variants.map((variant) => variant.conversion_rate ?? 0) }],
  };
  return (
    <>
      <Chart
        option={option}
        height={200}
        testId="journey-variants-chart"
        label={`Conversion rate by variant: ${variants
          .map((variant) => `${variant.variant} ${formatShare(variant.conversion_rate)}`)
          .join(", ")}`}
      />
      <Table
        rows={variants}
        caption="A/B variants"
        testId="journey-variants"
        rowKey={(variant) => variant.variant}
        columns={[
          { title: "Variant", cell: (variant) => variant.variant },
          { title: "Entered", numeric: true, cell: (variant) => formatInteger(variant.entered) },
          { title: "Converted", numeric: true, cell: (variant) => formatInteger(variant.converted) },
          { title: "Rate", numeric: true, cell: (variant) => formatShare(variant.conversion_rate) },
        ]}
      />
    </>
  );
}

function interval(difference: Difference | null | undefined, format: (value: number) => string): string {
  if (!difference) return "–";
  const bounds =
    difference.low === null || difference.high === null
      ? "too few customers for an interval"
      : `95% CI ${format(difference.low)} to ${format(difference.high)}`;
  return `${format(difference.estimate)} (${bounds})`;
}

export function HoldoutLift({ lift, holdoutPercent }: { lift: Lift; holdoutPercent: number }) {
  if (holdoutPercent === 0 && lift.held_out.customers === 0) {
    return (
      <EmptyState title="No holdout group">
        Set the journey's <code>settings.holdout_percent</code> to hold some customers out and measure its lift.
      </EmptyState>
    );
  }
  const share = (value: number) => `${value >= 0 ? "+" : ""}${formatNumber(value * 100)} pp`;
  const money = (value: number) => `${value >= 0 ? "+" : ""}${formatMoney(value)}`;
  const groups = [
    { name: "Enrolled", group: lift.enrolled },
    { name: "Held out", group: lift.held_out },
  ];
  return (
    <>
      <dl class="facts">
        <dt>Conversion rate lift</dt>
        <dd>{interval(lift.conversion_rate_difference, share)}</dd>
        <dt>Revenue per customer lift</dt>
        <dd>{interval(lift.revenue_per_customer_difference, money)}</dd>
        <dt>Window</dt>
        <dd>purchases within {lift.window} of entry</dd>
      </dl>
      <Table
        rows={groups}
        caption="Enrolled and held-out customers"
        rowKey={(row) => row.name}
        columns={[
          { title: "Group", cell: (row) => row.name },
          { title: "Customers", numeric: true, cell: (row) => formatInteger(row.group.customers) },
          { title: "Converted", numeric: true, cell: (row) => formatInteger(row.group.converted) },
          { title: "Conversion rate", numeric: true, cell: (row) => formatShare(row.group.conversion_rate) },
          { title: "Revenue per customer", numeric: true, cell: (row) => formatMoney(row.group.revenue_per_customer) },
        ]}
      />
    </>
  );
}

export function Deliveries({ stats }: { stats: Stats }) {
  const deliveries = stats.deliveries;
  const reasons = Object.entries(deliveries.suppressed_reasons ?? {});
  const heldBack = stats.held_back ?? [];
  return (
    <>
      <div class="kpis" data-testid="journey-deliveries">
        <KpiTile name="Delivered" value={formatInteger(deliveries.delivered)} />
        <KpiTile name="Pending" value={formatInteger(deliveries.pending)} />
        <KpiTile name="Failed" value={<span class={deliveries.failed > 0 ? "bad" : undefined}>{formatInteger(deliveries.failed)}</span>} />
        <KpiTile name="Suppressed" value={formatInteger(deliveries.suppressed ?? 0)} note="stopped by consent" />
        <KpiTile name="Deferred by caps" value={formatInteger(stats.deferred_by_caps ?? 0)} />
        <KpiTile name="Skipped by caps" value={formatInteger(stats.skipped_by_caps ?? 0)} />
      </div>
      {reasons.length > 0 ? (
        <>
          <h3>Suppressed, by reason</h3>
          <Table
            rows={reasons}
            caption="Suppressed messages by reason"
            rowKey={([reason]) => reason}
            columns={[
              { title: "Reason", cell: ([reason]) => <code>{reason}</code> },
              { title: "Messages", numeric: true, cell: ([, count]) => formatInteger(count) },
            ]}
          />
        </>
      ) : null}
      {heldBack.length > 0 ? (
        <>
          <h3>Held back by frequency caps</h3>
          <Table
            rows={heldBack}
            caption="Messages held back by caps"
            rowKey={(row) => `${row.outcome}-${row.reason}`}
            columns={[
              { title: "Outcome", cell: (row) => row.outcome },
              { title: "Reason", cell: (row) => <code>{row.reason}</code> },
              { title: "Messages", numeric: true, cell: (row) => formatInteger(row.messages) },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
