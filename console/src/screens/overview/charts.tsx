/** The overview's charts (where the eye compares): revenue trend, new vs returning, retention, channels, NPS. */
import { useMemo } from "preact/hooks";

import type { Loaded } from "../../api.ts";
import { Chart, type ChartOption } from "../../ui/chart.tsx";
import { formatMoney, formatNumber } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading } from "../../ui/states.tsx";
import { type AcquisitionReport, type NpsReport, type RetentionReport, toNumber, type TrendPoint } from "./data.ts";

/** A chart's loading, problem and empty states around `draw`. */
function Loaded<T>({
  state,
  what,
  empty,
  draw,
}: {
  state: Loaded<T>;
  what: string;
  empty: (data: T) => string | null;
  draw: (data: T) => preact.ComponentChildren;
}) {
  if (state.error !== undefined) return <ProblemAlert error={state.error} />;
  if (state.data === undefined) return <Loading label={`Loading ${what}`} />;
  const nothing = empty(state.data);
  return nothing === null ? <>{draw(state.data)}</> : <EmptyState title={nothing} />;
}

const GRID = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
const LEGEND = { top: 0 };

function trendOptions(points: TrendPoint[], currency: string | null | undefined): [ChartOption, ChartOption] {
  const labels = points.map((point) => point.label);
  const revenue: ChartOption = {
    grid: GRID,
    tooltip: { trigger: "axis", valueFormatter: (value: number) => formatMoney(value, currency) },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value" },
    series: [{ name: "Revenue", type: "line", data: points.map((point) => point.revenue), areaStyle: { opacity: 0.12 } }],
  };
  const buyers: ChartOption = {
    grid: GRID,
    legend: LEGEND,
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "New", type: "bar", stack: "buyers", data: points.map((point) => point.newBuyers) },
      { name: "Returning", type: "bar", stack: "buyers", data: points.map((point) => point.returningBuyers) },
    ],
  };
  return [revenue, buyers];
}

export function TrendCharts({ trend, currency }: { trend: Loaded<TrendPoint[]>; currency: string | null | undefined }) {
  const options = useMemo(() => (trend.data ? trendOptions(trend.data, currency) : null), [trend.data, currency]);
  return (
    <Loaded
      state={trend}
      what="the trend"
      empty={() => null}
      draw={() =>
        options ? (
          <div class="grid">
            <div>
              <h3>Revenue</h3>
              <Chart option={options[0]} label="Revenue per period, oldest first" testId="chart-revenue" />
            </div>
            <div>
              <h3>New vs returning buyers</h3>
              <Chart option={options[1]} label="Buyers per period: new and returning" testId="chart-buyers" />
            </div>
          </div>
        ) : null
      }
    />
  );
}

function retentionOption(report: RetentionReport): ChartOption {
  const cohorts = report.cohorts ?? [];
  const width = Math.max(0, ...cohorts.map((row) => row.retained.length));
  const data: [number, number, number | null][] = [];
  cohorts.forEach((row, y) =>
    row.retained.forEach((share, x) => data.push([x, y, share === null ? null : Math.round(share * 1000) / 10])),
  );
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    tooltip: { formatter: (p: { value: [number, number, number | null] }) => `${p.value[2] ?? "–"}% retained` },
    xAxis: { type: "category", name: "months after", data: Array.from({ length: width }, (_, k) => `M${k}`) },
    yAxis: {
      type: "category",
      inverse: true,
      data: cohorts.map((row) => `${row.cohort} (${row.size})`),
    },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      text: ["100%", "0%"],
      inRange: { color: ["#eef4fc", "#1f5fbf"] },
    },
    series: [
      {
        name: "Retained",
        type: "heatmap",
        data,
        label: { show: width <= 12, formatter: (p: { value: [number, number, number | null] }) => `${p.value[2] ?? ""}` },
      },
    ],
  };
}

export function RetentionHeatmap({ retention }: { retention: Loaded<RetentionReport> }) {
  const option = useMemo(() => (retention.data ? retentionOption(retention.data) : null), [retention.data]);
  return (
    <Loaded
      state={retention}
      what="the retention cohorts"
      empty={(report) => ((report.cohorts ?? []).length === 0 ? "No first purchases in these months yet" : null)}
      draw={(report) =>
        option ? (
          <Chart
            option={option}
            label="Retention heat map: per cohort of first purchase (rows), the share buying again each month after (columns)"
            height={Math.max(220, 34 * (report.cohorts ?? []).length + 90)}
            testId="chart-retention"
          />
        ) : null
      }
    />
  );
}

function channelOption(report: AcquisitionReport): ChartOption {
  const rows = report.channels;
  const currency = report.currency;
  return {
    grid: GRID,
    legend: LEGEND,
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: rows.map((row) => row.channel), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
    yAxis: [
      { type: "value", name: currency ?? "" },
      { type: "value", name: "LTV:CAC", splitLine: { show: false } },
    ],
    series: [
      { name: "Predicted LTV", type: "bar", data: rows.map((row) => toNumber(row.avg_predicted_clv)) },
      { name: "CAC", type: "bar", data: rows.map((row) => toNumber(row.cac)) },
      {
        name: "LTV:CAC",
        type: "line",
        yAxisIndex: 1,
        data: rows.map((row) => row.ltv_to_cac ?? null),
        label: { show: true, formatter: (p: { value: number | null }) => (p.value === null ? "" : `${formatNumber(p.value)}×`) },
      },
    ],
  };
}

export function ChannelChart({ acquisition }: { acquisition: Loaded<AcquisitionReport> }) {
  const option = useMemo(() => (acquisition.data ? channelOption(acquisition.data) : null), [acquisition.data]);
  return (
    <Loaded
      state={acquisition}
      what="the channels"
      empty={(report) => (report.channels.length === 0 ? "No new customers or spend in this period" : null)}
      draw={() =>
        option ? (
          <Chart option={option} label="Predicted LTV and CAC per acquisition channel (bars), LTV:CAC (line)" testId="chart-channels" />
        ) : null
      }
    />
  );
}

function npsOption(report: NpsReport): ChartOption {
  const months = report.by_month ?? [];
  return {
    grid: GRID,
    legend: LEGEND,
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months.map((month) => month.month) },
    yAxis: { type: "value", minInterval: 1 },
    color: ["#15803d", "#6b7280", "#b91c1c"],
    series: [
      { name: "Promoters", type: "bar", stack: "nps", data: months.map((month) => month.promoters) },
      { name: "Passives", type: "bar", stack: "nps", data: months.map((month) => month.passives) },
      { name: "Detractors", type: "bar", stack: "nps", data: months.map((month) => month.detractors) },
    ],
  };
}

export function NpsChart({ nps }: { nps: Loaded<NpsReport> }) {
  const option = useMemo(() => (nps.data ? npsOption(nps.data) : null), [nps.data]);
  return (
    <Loaded
      state={nps}
      what="NPS"
      empty={(report) => ((report.by_month ?? []).length === 0 ? "No survey answers in these months" : null)}
      draw={(report) => (
        <>
          <p class="lead" data-testid="nps-summary">
            Over these months: NPS {formatNumber(report.score)} from {formatNumber(report.responses)} answers: {formatNumber(report.promoters)}{" "}
            promoters, {formatNumber(report.passives)} passives, {formatNumber(report.detractors)} detractors.
          </p>
          {option ? <Chart option={option} label="Promoters, passives and detractors per month" testId="chart-nps" /> : null}
        </>
      )}
    />
  );
}
