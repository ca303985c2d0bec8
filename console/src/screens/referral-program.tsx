/** One referral program: its settings, funnel, K-factor and reward cost over a period, and its last months. */
import { useState } from "preact/hooks";

import { type Flywheel, useLoad } from "../api.ts";
import { Link } from "../router.tsx";
import { formatInteger, formatNumber, formatShare } from "../ui/format.ts";
import { KpiTile } from "../ui/kpi.tsx";
import { ProblemAlert } from "../ui/problem.tsx";
import { Loading, PageHeader, Section } from "../ui/states.tsx";
import { FunnelChart, MonthsChart, type MonthStats, type Stats } from "./referral/program-charts.tsx";
import { ProgramSettings } from "./referral/program-settings.tsx";

const PERIODS: readonly { days: number; label: string }[] = [
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last 12 months" },
];
const MONTHS_SHOWN = 6;

function statsOf(api: Flywheel, programId: string, from: Date, to: Date): Promise<Stats> {
  return api.get("/v1/referral-programs/{program_id}/stats", {
    params: { path: { program_id: programId }, query: { from: from.toISOString(), to: to.toISOString() } },
  });
}

/** The stats of each of the last months (UTC calendar months, the current one so far). */
async function monthsOf(api: Flywheel, programId: string): Promise<MonthStats[]> {
  const now = new Date();
  const starts = Array.from(
    { length: MONTHS_SHOWN },
    (_, index) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS_SHOWN - 1 - index), 1)),
  );
  const month = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });
  return Promise.all(
    starts.map(async (start, index) => {
      const end = starts[index + 1] ?? now;
      return { month: month.format(start), stats: await statsOf(api, programId, start, end) };
    }),
  );
}

function Numbers({ stats }: { stats: Stats }) {
  return (
    <div class="kpis">
      <KpiTile name="K-factor" value={formatNumber(stats.k_factor)} note="invites per referrer × conversion" testId="k-factor" />
      <KpiTile name="Referrers" value={formatInteger(stats.referrers)} note={`${formatNumber(stats.invites_per_referrer)} invites each`} />
      <KpiTile name="Referral share" value={formatShare(stats.referral_share)} note={`${formatInteger(stats.referred_new_customers)} of ${formatInteger(stats.new_customers)} new customers`} />
      <KpiTile name="Reward cost" value={formatNumber(stats.reward_cost)} note={`${formatNumber(stats.reward_cost_per_acquired_customer)} per customer acquired`} testId="reward-cost" />
      <KpiTile name="Referred customers' LTV" value={formatNumber(stats.ltv.referred_mean)} note={`others: ${formatNumber(stats.ltv.others_mean)}`} />
    </div>
  );
}

export function ReferralProgram({ id }: { id: string }) {
  const [days, setDays] = useState(30);
  const program = useLoad((api) => api.get("/v1/referral-programs/{program_id}", { params: { path: { program_id: id } } }), [id]);
  const stats = useLoad((api) => statsOf(api, id, new Date(Date.now() - days * 86_400_000), new Date()), [id, days]);
  const months = useLoad((api) => monthsOf(api, id), [id]);

  if (program.error !== undefined) {
    return (
      <>
        <PageHeader title="Referral program" lead={<Link href="/referral">All programs</Link>} />
        <ProblemAlert error={program.error} />
      </>
    );
  }
  if (program.data === undefined) {
    return (
      <>
        <PageHeader title="Referral program" />
        <Loading />
      </>
    );
  }
  return (
    <>
      <PageHeader title={program.data.name} lead={<Link href="/referral">All programs</Link>} />
      <div class="filters">
        <div>
          <label for="period">Period</label>
          <select id="period" value={String(days)} onChange={(event) => setDays(Number((event.target as HTMLSelectElement).value))}>
            {PERIODS.map((period) => (
              <option key={period.days} value={String(period.days)}>
                {period.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemAlert error={stats.error} />
      {stats.data ? <Numbers stats={stats.data} /> : stats.error === undefined ? <Loading label="Loading its numbers" /> : null}
      <div class="grid spaced">
        <Section title="Funnel" id="funnel">
          {stats.data ? <FunnelChart stats={stats.data} /> : null}
        </Section>
        <Section title="Settings" id="settings">
          <ProgramSettings program={program.data} />
        </Section>
      </div>
      <Section title="By month" id="months">
        <ProblemAlert error={months.error} />
        {months.data ? <MonthsChart months={months.data} /> : months.error === undefined ? <Loading /> : null}
      </Section>
    </>
  );
}
