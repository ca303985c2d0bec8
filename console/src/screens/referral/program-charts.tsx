/** A referral program's charts: the funnel of a period, and its months side by side. */
import type { components } from "../../../../clients/typescript/src/index.ts";
import { Chart, type ChartOption, PALETTE } from "../../ui/chart.tsx";
import { formatInteger, formatShare } from "../../ui/format.ts";

export type Stats = components["schemas"]["ProgramStats"];

export function funnelSteps(stats: Stats): { name: string; value: number }[] {
  const { funnel } = stats;
  return [
    { name: "Invites", value: funnel.invites },
    { name: "Clicks", value: funnel.clicks },
    { name: "Sign-ups", value: funnel.signups },
    { name: "First purchases", value: funnel.first_purchases },
  ];
}

/** The funnel as horizontal bars (a funnel shape hides steps that are larger than the one before). */
export function FunnelChart({ stats }: { stats: Stats }) {
  const steps = funnelSteps(stats);
  const first = steps[0]?.value ?? 0;
  const option: ChartOption = {
    grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: steps.map((step) => step.name) },
    series: [
      {
        type: "bar",
        name: "Friends",
        data: steps.map((step, index) => ({ value: step.value, itemStyle: { color: PALETTE[index % PALETTE.length] } })),
        label: {
          show: true,
          position: "right",
          formatter: ({ value }: { value: number }) =>
            first > 0 ? `${formatInteger(value)} (${formatShare(value / first)})` : formatInteger(value),
        },
      },
    ],
  };
  const label = `Referral funnel: ${steps.map((step) => `${step.name} ${step.value}`).join(", ")}`;
  return <Chart option={option} label={label} height={220} testId="referral-funnel" />;
}

export interface MonthStats {
  month: string;
  stats: Stats;
}

/** Invites and first purchases by month (bars), with the K-factor (line, right axis). */
export function MonthsChart({ months }: { months: MonthStats[] }) {
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months.map((entry) => entry.month) },
    yAxis: [
      { type: "value", name: "Friends", minInterval: 1 },
      { type: "value", name: "K-factor", splitLine: { show: false } },
    ],
    series: [
      { type: "bar", name: "Invites", data: months.map((entry) => entry.stats.funnel.invites) },
      { type: "bar", name: "First purchases", data: months.map((entry) => entry.stats.funnel.first_purchases) },
      { type: "line", name: "K-factor", yAxisIndex: 1, data: months.map((entry) => entry.stats.k_factor ?? null) },
    ],
  };
  const label = `By month: ${months
    .map((entry) => `${entry.month}: ${entry.stats.funnel.invites} invites, ${entry.stats.funnel.first_purchases} first purchases`)
    .join("; ")}`;
  return <Chart option={option} label={label} height={280} testId="referral-months" />;
}
