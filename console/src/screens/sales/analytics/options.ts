/**
 * The analytics charts' ECharts options, built from the API's answers: each function takes the data as the API
 * gives it and the pipeline's stage names, and answers an option for `<Chart>` (or null when there is nothing to draw).
 */
import type { ChartOption } from "../../../ui/chart.tsx";
import { PALETTE } from "../../../ui/chart.tsx";
import { formatMoney, formatNumber, formatShare } from "../../../ui/format.ts";
import { type StageInfo, stageName } from "../pipeline.ts";
import type { OwnerWinRate, SalesAnalytics, SalesForecast } from "./load.ts";

const GRID = { left: 8, right: 24, top: 16, bottom: 8, containLabel: true };
const AXIS_LABEL = { color: "#374151" };

/** Deals that reached each stage (and won), top to bottom like a funnel; each bar says its conversion from the one above. */
export function conversionOption(analytics: SalesAnalytics, stages: StageInfo[]): ChartOption | null {
  const steps = analytics.conversions;
  if (steps.length === 0) return null;
  const first = steps[0];
  const rows = [
    ...(first ? [{ name: stageName(stages, first.from_stage), value: first.reached, rate: null as number | null }] : []),
    ...steps.map((step) => ({ name: stageName(stages, step.to_stage), value: step.converted, rate: step.rate ?? null })),
  ];
  return {
    grid: { ...GRID, right: 96 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1, axisLabel: AXIS_LABEL },
    yAxis: { type: "category", inverse: true, data: rows.map((row) => row.name), axisLabel: AXIS_LABEL },
    series: [
      {
        type: "bar",
        name: "Deals that reached the stage",
        data: rows.map((row) => ({
          value: row.value,
          label: {
            show: true,
            position: "right",
            formatter: row.rate === null ? `${row.value}` : `${row.value} · ${formatShare(row.rate)}`,
          },
        })),
        itemStyle: { color: PALETTE[0] },
      },
    ],
  };
}

/** Average days a deal stays in each stage (finished stays), a bar per stage, top to bottom in pipeline order. */
export function cycleOption(analytics: SalesAnalytics, stages: StageInfo[]): ChartOption | null {
  if (analytics.stages.length === 0) return null;
  return {
    grid: { ...GRID, right: 72 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    // Whole days on the axis: stays shorter than a day read "0 d" rather than as a scale of millionths.
    xAxis: { type: "value", name: "days", minInterval: 1, axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
    yAxis: {
      type: "category",
      inverse: true,
      data: analytics.stages.map((stage) => stageName(stages, stage.stage)),
      axisLabel: AXIS_LABEL,
    },
    series: [
      {
        type: "bar",
        name: "Average days in stage",
        data: analytics.stages.map((stage) => ({
          value: stage.avg_days ?? 0,
          label: {
            show: true,
            position: "right",
            formatter:
              stage.avg_days === null || stage.avg_days === undefined
                ? "no stay ended"
                : `${formatNumber(stage.avg_days)} d (${stage.stays})`,
          },
        })),
        itemStyle: { color: PALETTE[4] },
      },
    ],
  };
}

/** Won / (won + lost) of each owner's deals; each owner's label says how many were won and lost. */
export function winRateOption(rates: OwnerWinRate[]): ChartOption | null {
  if (rates.length === 0) return null;
  const known = (rate: number | null | undefined): rate is number => rate !== null && rate !== undefined;
  return {
    grid: { ...GRID, right: 56 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", min: 0, max: 100, interval: 50, axisLabel: { ...AXIS_LABEL, formatter: "{value}%" } },
    yAxis: {
      type: "category",
      inverse: true,
      data: rates.map(({ owner, analytics }) =>
        known(analytics.win_rate)
          ? `${owner}\n${analytics.won} won, ${analytics.lost} lost`
          : `${owner}\nnone closed, ${analytics.open} open`,
      ),
      axisLabel: { ...AXIS_LABEL, lineHeight: 16 },
    },
    series: [
      {
        type: "bar",
        name: "Win rate (%)",
        data: rates.map(({ analytics }) => ({
          value: known(analytics.win_rate) ? analytics.win_rate * 100 : 0,
          label: {
            show: true,
            position: "right",
            formatter: known(analytics.win_rate) ? formatShare(analytics.win_rate) : "–",
          },
        })),
        itemStyle: { color: PALETTE[2] },
      },
    ],
  };
}

/** Open deals' amounts per currency, in total and weighted by their stage's win probability. */
export function pipelineValueOption(analytics: SalesAnalytics): ChartOption | null {
  if (analytics.pipeline_value.length === 0) return null;
  const values = analytics.pipeline_value;
  return {
    grid: { ...GRID, top: 40 },
    legend: { top: 0, textStyle: AXIS_LABEL },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: values.map((value) => value.currency), axisLabel: AXIS_LABEL },
    yAxis: { type: "value", axisLabel: AXIS_LABEL },
    series: [
      { type: "bar", name: "Open, total", data: values.map((value) => Number(value.total)) },
      { type: "bar", name: "Open, weighted by stage", data: values.map((value) => Number(value.weighted)) },
    ],
  };
}

/** Expected revenue per month: weighted open deals and predicted repurchase, stacked; the pipeline's amount as a line. */
export function forecastOption(forecast: SalesForecast): ChartOption | null {
  if (forecast.items.length === 0) return null;
  const amount = (value: string | null | undefined) => (value === null || value === undefined ? null : Number(value));
  const money = (value: unknown) => formatMoney(typeof value === "number" ? value : null, forecast.currency);
  return {
    grid: { ...GRID, top: 56 },
    legend: { top: 0, textStyle: AXIS_LABEL },
    tooltip: { trigger: "axis", valueFormatter: money },
    xAxis: { type: "category", data: forecast.items.map((month) => month.month), axisLabel: AXIS_LABEL },
    yAxis: { type: "value", axisLabel: AXIS_LABEL },
    series: [
      {
        type: "bar",
        stack: "expected",
        name: "Deals, weighted",
        data: forecast.items.map((month) => amount(month.weighted_deals)),
      },
      {
        type: "bar",
        stack: "expected",
        name: "Repurchase",
        data: forecast.items.map((month) => amount(month.repurchase_revenue)),
      },
      {
        type: "line",
        name: "Deals, full amount",
        data: forecast.items.map((month) => amount(month.pipeline_amount)),
      },
    ],
  };
}
