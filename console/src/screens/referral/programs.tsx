/** The workspace's referral programs, a page at a time, each with its numbers of the last 30 days. */
import type { components } from "../../../../clients/typescript/src/index.ts";
import { type Paged, useLoad } from "../../api.ts";
import { Link } from "../../router.tsx";
import { formatInteger, formatNumber, formatShare } from "../../ui/format.ts";
import { KpiTile } from "../../ui/kpi.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading } from "../../ui/states.tsx";

export type Program = components["schemas"]["Program"];

function ProgramNumbers({ programId }: { programId: string }) {
  const stats = useLoad(
    (api) => api.get("/v1/referral-programs/{program_id}/stats", { params: { path: { program_id: programId } } }),
    [programId],
  );
  if (stats.error !== undefined) return <ProblemAlert error={stats.error} />;
  if (stats.data === undefined) return <Loading label="Loading its numbers" />;
  const { funnel, k_factor, reward_cost, referral_share } = stats.data;
  return (
    <div class="kpis">
      <KpiTile name="Invites" value={formatInteger(funnel.invites)} />
      <KpiTile name="First purchases" value={formatInteger(funnel.first_purchases)} />
      <KpiTile name="K-factor" value={formatNumber(k_factor)} testId="program-k-factor" />
      <KpiTile name="Referral share" value={formatShare(referral_share)} note="of new customers" />
      <KpiTile name="Reward cost" value={formatNumber(reward_cost)} />
    </div>
  );
}

function ProgramCard({ program }: { program: Program }) {
  const active = program.document["active"] !== false;
  return (
    <article class="card program" data-testid="program" aria-labelledby={`program-${program.program_id}`}>
      <h3 id={`program-${program.program_id}`}>
        <Link href={`/referral/${encodeURIComponent(program.program_id)}`}>{program.name}</Link>{" "}
        <span class={`badge ${active ? "ok" : ""}`}>{active ? "Active" : "Inactive"}</span>
      </h3>
      <ProgramNumbers programId={program.program_id} />
    </article>
  );
}

export function Programs({ list }: { list: Paged<Program> }) {
  if (list.error !== undefined && list.items.length === 0) return <ProblemAlert error={list.error} />;
  if (list.loading && list.items.length === 0) return <Loading />;
  if (list.items.length === 0) {
    return (
      <EmptyState title="No referral programs yet">
        Create one with <code>POST /v1/referral-programs</code> (see <a href="/docs">/docs</a>); its funnel and
        rewards then show here.
      </EmptyState>
    );
  }
  return (
    <div class="programs">
      <p class="lead">The last 30 days.</p>
      {list.items.map((program) => (
        <ProgramCard key={program.program_id} program={program} />
      ))}
      <ProblemAlert error={list.error} />
      {list.more ? (
        <button type="button" class="secondary" onClick={list.loadMore} disabled={list.loading}>
          {list.loading ? "Loading…" : "Load more programs"}
        </button>
      ) : null}
    </div>
  );
}
