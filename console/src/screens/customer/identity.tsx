/** Who the customer is (identifiers, traits, tags, acquisition) and what they did (the profile's stats). */
import { Fragment } from "preact";

import { formatDate, formatDateTime, formatInteger, formatMoney, formatNumber } from "../../ui/format.ts";
import { KpiTile } from "../../ui/kpi.tsx";
import { Section } from "../../ui/states.tsx";
import { type Customer360, traitText } from "./people.ts";

const IDENTIFIER_NAMES = { email: "Email", phone: "Phone", external_id: "External id", anonymous_id: "Anonymous id" };

export function Identity({ customer }: { customer: Customer360 }) {
  const identifiers = customer.identifiers ?? {};
  const traits = Object.entries(customer.traits ?? {});
  const acquisition = customer.acquisition;
  return (
    <Section title="Identity" id="identity">
      <dl class="facts" data-testid="customer-identity">
        <dt>Customer id</dt>
        <dd>
          <code>{customer.customer_id}</code>
        </dd>
        {(Object.keys(IDENTIFIER_NAMES) as (keyof typeof IDENTIFIER_NAMES)[]).map((kind) =>
          (identifiers[kind] ?? []).length > 0 ? (
            <Fragment key={kind}>
              <dt>{IDENTIFIER_NAMES[kind]}</dt>
              <dd>{(identifiers[kind] ?? []).join(", ")}</dd>
            </Fragment>
          ) : null,
        )}
        <dt>Tags</dt>
        <dd>
          {(customer.tags ?? []).length === 0
            ? "none"
            : (customer.tags ?? []).map((tag) => (
                <span key={tag} class="badge">
                  {tag}
                </span>
              ))}
        </dd>
        <dt>Acquired through</dt>
        <dd>
          {acquisition?.source ?? "direct"}
          {acquisition?.campaign ? ` (campaign ${acquisition.campaign})` : ""}
          {acquisition?.at ? `, ${formatDate(acquisition.at)}` : ""}
        </dd>
        <dt>First seen</dt>
        <dd>{formatDateTime(customer.first_seen_at)}</dd>
        <dt>Last event</dt>
        <dd>{formatDateTime(customer.last_event_at)}</dd>
      </dl>
      {traits.length > 0 ? (
        <>
          <h3>Traits</h3>
          <dl class="facts" data-testid="customer-traits">
            {traits.map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{traitText(value)}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      ) : null}
    </Section>
  );
}

export function Stats({ customer }: { customer: Customer360 }) {
  const stats = customer.stats ?? {};
  return (
    <div class="kpis" data-testid="customer-stats">
      <KpiTile name="Orders" value={formatInteger(stats.orders ?? 0)} testId="stat-orders" />
      <KpiTile name="Revenue" value={formatMoney(stats.revenue ?? "0")} testId="stat-revenue" />
      <KpiTile name="Average order" value={formatMoney(stats.average_order_value)} testId="stat-aov" />
      <KpiTile name="Last purchase" value={formatDate(stats.last_purchase_at)} testId="stat-last-purchase" />
      <KpiTile name="Visits" value={formatInteger(stats.visits ?? 0)} testId="stat-visits" />
      <KpiTile name="Last NPS" value={formatNumber(stats.last_nps)} testId="stat-nps" />
      <KpiTile name="Open tickets" value={formatInteger(stats.open_tickets ?? 0)} testId="stat-tickets" />
    </div>
  );
}
