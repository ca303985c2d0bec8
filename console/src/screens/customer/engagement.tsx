/** What the customer takes part in: journeys (GET .../journeys), referrals (GET .../referral-ledger), points. */
import { FlywheelError, useLoad } from "../../api.ts";
import { Link } from "../../router.tsx";
import { formatDate, formatDateTime, formatInteger, formatMoney, formatNumber, formatShare } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading, Section } from "../../ui/states.tsx";
import { Table } from "../../ui/table.tsx";
import { PartBody } from "./part.tsx";
import type { Customer360 } from "./people.ts";

/** A reward as its kind says: an amount of money, a percentage off, or points. */
function rewardText(value: string, kind: string): string {
  if (kind === "percent") return `${formatNumber(value)}% off`;
  if (kind === "points") return `${formatNumber(value)} points`;
  return formatMoney(value);
}

export function Journeys({ customerId }: { customerId: string }) {
  const journeys = useLoad(
    (api) => api.get("/v1/customers/{customer_id}/journeys", { params: { path: { customer_id: customerId } } }),
    [customerId],
  );
  // the enrolments name journeys by id: their names, when the list answers (else the ids)
  const catalogue = useLoad((api) => api.get("/v1/journeys", { params: { query: { limit: 200 } } }), []);
  const names = new Map((catalogue.data?.items ?? []).map((journey) => [journey.journey_id, journey.name]));
  return (
    <Section title="Journeys" id="journeys">
      <PartBody state={journeys} what="the journeys">
        {(list) =>
          list.items.length === 0 ? (
            <EmptyState title="In no journey">Journeys enrol customers as their triggers fire.</EmptyState>
          ) : (
            <Table
              rows={list.items}
              rowKey={(row) => `${row.journey_id}-${row.entered_at}`}
              caption="The customer's journey enrolments"
              testId="customer-journeys"
              columns={[
                {
                  title: "Journey",
                  cell: (row) => <Link href={`/journeys/${encodeURIComponent(row.journey_id)}`}>{names.get(row.journey_id) ?? row.journey_id}</Link>,
                },
                {
                  title: "Status",
                  cell: (row) => `${row.status}${row.holdout ? " (holdout)" : ""}${row.end_reason ? `: ${row.end_reason}` : ""}`,
                },
                { title: "Step", cell: (row) => row.step_id ?? "–" },
                { title: "Entered", cell: (row) => formatDateTime(row.entered_at) },
              ]}
            />
          )
        }
      </PartBody>
    </Section>
  );
}

export function Referrals({ customer }: { customer: Customer360 }) {
  const customerId = customer.customer_id;
  const ledger = useLoad(
    (api) =>
      api.get("/v1/customers/{customer_id}/referral-ledger", {
        params: { path: { customer_id: customerId }, query: { limit: 50 } },
      }),
    [customerId],
  );
  const codes = customer.referral_codes ?? [];
  const links = customer.referrals ?? [];
  return (
    <Section title="Referrals" id="referrals">
      {codes.length > 0 ? (
        <p>
          Codes:{" "}
          {codes.map((code) => (
            <code key={code.code} class="badge">
              {code.code}
            </code>
          ))}
        </p>
      ) : null}
      {links.length > 0 ? (
        <ul data-testid="customer-referral-links">
          {links.map((link) => (
            <li key={`${link.referrer_id}-${link.referred_id}`}>
              {link.role === "referrer" ? "Referred " : "Was referred by "}
              <Link href={`/customers/${encodeURIComponent(link.role === "referrer" ? link.referred_id : link.referrer_id)}`}>
                {link.role === "referrer" ? link.referred_id : link.referrer_id}
              </Link>{" "}
              ({link.status}
              {link.reason ? `: ${link.reason}` : ""}, {formatDate(link.attributed_at)})
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">No referrals made or received.</p>
      )}
      <h3>Rewards</h3>
      <PartBody state={ledger} what="the rewards">
        {(data) =>
          data.items.length === 0 ? (
            <p class="hint">No rewards yet.</p>
          ) : (
            <>
              <p data-testid="referral-totals">
                {data.totals.map((total) => (
                  <span key={total.kind} class="total">
                    {total.kind}: {total.balance} granted net
                    {Number(total.held) > 0 ? `, ${total.held} held for review` : ""}
                  </span>
                ))}
              </p>
              <Table
                rows={data.items}
                rowKey={(reward) => reward.reward_id}
                caption="The customer's referral rewards"
                testId="customer-rewards"
                columns={[
                  { title: "Role", cell: (reward) => reward.role },
                  { title: "Reward", cell: (reward) => rewardText(reward.value, reward.kind) },
                  { title: "Status", cell: (reward) => reward.status },
                  { title: "When", cell: (reward) => formatDate(reward.created_at) },
                ]}
              />
            </>
          )
        }
      </PartBody>
    </Section>
  );
}

export function Points({ customerId }: { customerId: string }) {
  const points = useLoad(
    (api) => api.get("/v1/customers/{customer_id}/points", { params: { path: { customer_id: customerId } } }),
    [customerId],
  );
  const noProgram = points.error instanceof FlywheelError && points.error.status === 404;
  const data = points.data;
  return (
    <Section title="Points and tier" id="points">
      {noProgram ? (
        <p class="hint" data-testid="no-loyalty">The workspace has no loyalty program.</p>
      ) : points.error !== undefined ? (
        <ProblemAlert error={points.error} />
      ) : data === undefined ? (
        <Loading label="Loading the points" />
      ) : (
        <dl class="facts" data-testid="customer-points">
          <dt>Balance</dt>
          <dd>
            {formatInteger(data.balance)} points ({formatMoney(data.value, data.currency)})
          </dd>
          <dt>Available now</dt>
          <dd>{formatInteger(data.available)}</dd>
          {data.debt ? (
            <>
              <dt>Debt</dt>
              <dd>{formatInteger(data.debt)}</dd>
            </>
          ) : null}
          {data.tier?.current ? (
            <>
              <dt>Tier</dt>
              <dd>
                <strong>{data.tier.current}</strong>
                {data.tier.next_tier
                  ? ` · ${formatShare(data.tier.progress ?? 0)} of the way to ${data.tier.next_tier}${data.tier.to_next_tier ? ` (${data.tier.to_next_tier} to go)` : ""}`
                  : ""}
              </dd>
            </>
          ) : null}
          {data.lots.length > 0 ? (
            <>
              <dt>Next expiry</dt>
              <dd>
                {data.lots.find((lot) => lot.expires_at)
                  ? formatDate(data.lots.find((lot) => lot.expires_at)?.expires_at)
                  : "never"}
              </dd>
            </>
          ) : null}
        </dl>
      )}
    </Section>
  );
}
