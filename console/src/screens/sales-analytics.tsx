/**
 * Sales analytics (/console/sales/analytics): a pipeline's stage conversion, days per stage, win rate by owner and
 * open value (GET /v1/sales-analytics over deals created in the chosen period), and the revenue forecast
 * (GET /v1/sales-forecast). `?pipeline=` and `?period=` keep the choice in the address.
 */
import { useMemo } from "preact/hooks";

import { useLoad } from "../api.ts";
import { navigate, useRoute } from "../router.tsx";
import { Chart, type ChartOption } from "../ui/chart.tsx";
import { formatInteger, formatMoney, formatNumber, formatShare } from "../ui/format.ts";
import { KpiTile } from "../ui/kpi.tsx";
import { ProblemAlert } from "../ui/problem.tsx";
import { EmptyState, Loading, PageHeader, Section } from "../ui/states.tsx";
import { analyticsOf, forecastOf, PERIODS, periodStart, winRatesByOwner } from "./sales/analytics/load.ts";
import {
  conversionOption,
  cycleOption,
  forecastOption,
  pipelineValueOption,
  winRateOption,
} from "./sales/analytics/options.ts";
import { defaultPipeline, loadPipelines, type Pipeline, stagesOf } from "./sales/pipeline.ts";
import { PipelinePicker } from "./sales/pipeline-picker.tsx";
import { SalesNav } from "./sales/sales-nav.tsx";
import "./sales/sales.css";

/** A chart, or what to do when there is nothing to draw yet. */
function ChartOrEmpty({
  option,
  label,
  testId,
  empty,
  height,
}: {
  option: ChartOption | null;
  label: string;
  testId: string;
  empty: string;
  height?: number;
}) {
  if (option === null) return <EmptyState title="Nothing to draw yet">{empty}</EmptyState>;
  return <Chart option={option} label={label} testId={testId} height={height} />;
}

function PeriodPicker({ period }: { period: string }) {
  const { path, query } = useRoute();
  const choose = (periodId: string) => {
    const next = new URLSearchParams(query);
    next.set("period", periodId);
    navigate(`${path}?${next.toString()}`, true);
  };
  return (
    <div>
      <label for="period">Deals created</label>
      <select
        id="period"
        value={period}
        onChange={(event) => choose(event.currentTarget.value)}
      >
        {PERIODS.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function PipelineAnalytics({ pipeline, period }: { pipeline: Pipeline; period: string }) {
  const stages = useMemo(() => stagesOf(pipeline), [pipeline]);
  const from = periodStart(period);
  const id = pipeline.pipeline_id;
  const analytics = useLoad((api) => analyticsOf(api, id, from), [id, period]);
  const owners = useLoad((api) => winRatesByOwner(api, id, from), [id, period]);
  const options = useMemo(() => {
    const data = analytics.data;
    return data === undefined
      ? null
      : {
          conversion: conversionOption(data, stages),
          cycle: cycleOption(data, stages),
          value: pipelineValueOption(data),
        };
  }, [analytics.data, stages]);
  const winRates = useMemo(() => (owners.data ? winRateOption(owners.data) : null), [owners.data]);

  if (analytics.error !== undefined) return <ProblemAlert error={analytics.error} />;
  if (analytics.data === undefined || options === null) return <Loading label="Loading the analytics" />;
  const data = analytics.data;
  const weighted = data.pipeline_value.map((value) => formatMoney(value.weighted, value.currency)).join(" + ");
  return (
    <>
      <div class="kpis" data-testid="sales-kpis">
        <KpiTile name="Deals" value={formatInteger(data.deals)} note={`${data.open} open, ${data.won} won, ${data.lost} lost`} />
        <KpiTile name="Win rate" value={formatShare(data.win_rate)} note="won / (won + lost)" />
        <KpiTile name="Cycle time" value={data.cycle_days === null || data.cycle_days === undefined ? "–" : `${formatNumber(data.cycle_days)} d`} note="created to won, on average" />
        <KpiTile name="Open pipeline, weighted" value={weighted || "–"} note="by each stage's win chance" />
      </div>
      <div class="grid">
        <Section title="Stage conversion">
          <ChartOrEmpty
            option={options.conversion}
            label={`Stage conversion of ${pipeline.pipeline_id}: deals that reached each stage, and the share of the stage before that did`}
            testId="chart-conversion"
            empty="Deals moved through the pipeline will show here."
          />
          <p class="chart-note">Each bar: deals that reached the stage · share of the stage above that got there.</p>
        </Section>
        <Section title="Cycle time by stage">
          <ChartOrEmpty
            option={options.cycle}
            label="Average days a deal spends in each stage"
            testId="chart-cycle"
            empty="Stays in a stage count once the deal leaves it."
          />
          <p class="chart-note">Average days per stay that ended (how many in brackets); cycle: created to won.</p>
        </Section>
        <Section title="Win rate by owner">
          {owners.error !== undefined ? <ProblemAlert error={owners.error} /> : null}
          {owners.data === undefined && owners.error === undefined ? <Loading label="Loading the owners" /> : null}
          {owners.data !== undefined ? (
            <ChartOrEmpty
              option={winRates}
              label="Win rate of each owner's deals: won out of won and lost"
              testId="chart-win-rate"
              empty="Deals with an owner will show here once they are won or lost."
            />
          ) : null}
        </Section>
        <Section title="Open pipeline value">
          <ChartOrEmpty
            option={options.value}
            label="Open deals' value per currency, in total and weighted by their stage's win probability"
            testId="chart-pipeline-value"
            empty="Open deals' amounts will show here."
          />
        </Section>
      </div>
    </>
  );
}

function Forecast() {
  const forecast = useLoad((api) => forecastOf(api), []);
  const option = useMemo(() => (forecast.data ? forecastOption(forecast.data) : null), [forecast.data]);
  return (
    <Section title="Revenue forecast, next 6 months">
      {forecast.error !== undefined ? <ProblemAlert error={forecast.error} /> : null}
      {forecast.data === undefined && forecast.error === undefined ? <Loading label="Loading the forecast" /> : null}
      {forecast.data !== undefined ? (
        <>
          <ChartOrEmpty
            option={option}
            label={`Expected revenue per month in ${forecast.data.currency ?? "the report currency"}: open deals weighted by their stage, and predicted repurchase`}
            testId="chart-forecast"
            empty="Open deals and customers' predicted purchases will show here."
            height={320}
          />
          {forecast.data.degraded.length > 0 ? (
            <p class="chart-note warn">Not answering now, so missing: {forecast.data.degraded.join(", ")}.</p>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}

export function SalesAnalytics() {
  const { query } = useRoute();
  const pipelines = useLoad(loadPipelines, []);
  const chosen = defaultPipeline(pipelines.data ?? [], query.get("pipeline"));
  const period = PERIODS.some((choice) => choice.id === query.get("period")) ? (query.get("period") ?? "all") : "all";
  return (
    <>
      <PageHeader
        title="Sales analytics"
        lead="How deals move through a pipeline, how long they take and who wins them."
        actions={
          chosen !== undefined && pipelines.data ? (
            <div class="analytics-filters">
              <PipelinePicker pipelines={pipelines.data} chosen={chosen.pipeline_id} />
              <PeriodPicker period={period} />
            </div>
          ) : null
        }
      />
      <SalesNav />
      {pipelines.error !== undefined ? <ProblemAlert error={pipelines.error} /> : null}
      {pipelines.loading && pipelines.data === undefined ? <Loading label="Loading the pipelines" /> : null}
      {pipelines.data !== undefined && chosen === undefined ? (
        <EmptyState title="No pipelines">Store one with PUT /v1/pipelines/{"{id}"} to see its numbers here.</EmptyState>
      ) : null}
      {chosen !== undefined ? <PipelineAnalytics key={chosen.pipeline_id} pipeline={chosen} period={period} /> : null}
      {pipelines.error === undefined ? <Forecast /> : null}
    </>
  );
}
