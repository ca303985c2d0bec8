/**
 * The overview: the period picker, the headline KPIs against the previous period, the KPI tree against the
 * workspace's targets, and charts of revenue, buyers, retention cohorts, channels and NPS. Each part loads on
 * its own and shows its own problem.
 */
import { useMemo } from "preact/hooks";

import { useLoad } from "../api.ts";
import { navigate, useRoute } from "../router.tsx";
import { PageHeader, Section } from "../ui/states.tsx";
import { ChannelChart, NpsChart, RetentionHeatmap, TrendCharts } from "./overview/charts.tsx";
import {
  loadAcquisition,
  loadKpiTree,
  loadNps,
  loadOverview,
  loadRetention,
  loadTargets,
  loadTrend,
} from "./overview/data.ts";
import { KpiTreeView } from "./overview/kpi-tree.tsx";
import { isPeriodChoice, PERIOD_CHOICES, type PeriodChoice, periodOf, trendWindows } from "./overview/period.ts";
import { KpiTiles } from "./overview/tiles.tsx";

/** Periods the trend charts show: the one picked and those before it. */
const TREND_LENGTH = 6;

function PeriodPicker({ value }: { value: PeriodChoice }) {
  return (
    <div class="period-picker">
      <label for="period">Period</label>
      <select
        id="period"
        value={value}
        onChange={(event) => navigate(`/?period=${(event.target as HTMLSelectElement).value}`, true)}
      >
        {PERIOD_CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Overview() {
  const { query } = useRoute();
  const asked = query.get("period");
  const choice: PeriodChoice = isPeriodChoice(asked) ? asked : "quarter";
  // the period is fixed when it is picked, so the reports of one screen agree on "now"
  const { period, windows } = useMemo(() => {
    const now = new Date();
    return { period: periodOf(choice, now), windows: trendWindows(choice, now, TREND_LENGTH) };
  }, [choice]);
  const span = { from: windows[0]?.from ?? period.window.from, to: period.window.to, label: "" };

  const overview = useLoad((api) => loadOverview(api, period.window), [period]);
  const tree = useLoad((api) => loadKpiTree(api, period), [period]);
  const targets = useLoad((api) => loadTargets(api), []);
  const trend = useLoad((api) => loadTrend(api, windows), [windows]);
  const retention = useLoad((api) => loadRetention(api, span), [windows]);
  const acquisition = useLoad((api) => loadAcquisition(api, period.window), [period]);
  const nps = useLoad((api) => loadNps(api, span), [windows]);
  const label = PERIOD_CHOICES.find((option) => option.value === choice)?.label ?? "";

  return (
    <>
      <PageHeader
        title="Overview"
        lead={`${label}, against the previous period of the same length`}
        actions={<PeriodPicker value={choice} />}
      />
      <KpiTiles tree={tree} overview={overview} />
      <Section title="KPI tree" id="kpi-tree">
        <KpiTreeView tree={tree} targets={targets} />
      </Section>
      <Section title={`Trend: the last ${TREND_LENGTH} periods`} id="trend">
        <TrendCharts trend={trend} currency={tree.data?.currency} />
      </Section>
      <div class="grid">
        <Section title="Retention by cohort" id="retention">
          <RetentionHeatmap retention={retention} />
        </Section>
        <Section title="LTV and CAC by channel" id="channels">
          <ChannelChart acquisition={acquisition} />
        </Section>
      </div>
      <Section title="Net Promoter Score" id="nps">
        <NpsChart nps={nps} />
      </Section>
    </>
  );
}
