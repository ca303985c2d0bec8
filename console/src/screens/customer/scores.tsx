/** The customer's scores (GET .../scores): RFM, churn risk with its reasons, LTV and predicted CLV with its interval. */
import { FlywheelError, useLoad } from "../../api.ts";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatShare } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState, Loading, Section } from "../../ui/states.tsx";
import type { CustomerScores } from "./people.ts";

const RISK_TONE = { low: "ok", medium: "warn", high: "bad" } as const;

function ScoreFacts({ scores }: { scores: CustomerScores }) {
  const { rfm, churn, ltv } = scores;
  return (
    <>
      <dl class="facts" data-testid="customer-scores">
        <dt>RFM segment</dt>
        <dd data-testid="score-rfm">
          {rfm ? (
            <>
              <strong>{rfm.segment}</strong> (R {rfm.r} · F {rfm.f} · M {rfm.m}
              {rfm.recency_days === null || rfm.recency_days === undefined ? "" : `, ${rfm.recency_days} days since a purchase`})
            </>
          ) : (
            "no purchase yet"
          )}
        </dd>
        <dt>Churn risk</dt>
        <dd data-testid="score-churn">
          <span class={`badge ${RISK_TONE[churn.risk]}`}>{churn.risk}</span>
          {churn.p_alive === null || churn.p_alive === undefined ? "" : ` · ${formatShare(churn.p_alive)} likely to buy again`}
        </dd>
        <dt>Historical LTV</dt>
        <dd>{formatMoney(ltv.historical)}</dd>
        <dt>Predicted CLV (12 months)</dt>
        <dd data-testid="score-clv">
          {formatMoney(ltv.predicted_12m)}
          {ltv.p10 && ltv.p90 ? ` (80% between ${formatMoney(ltv.p10)} and ${formatMoney(ltv.p90)})` : ""}
        </dd>
        {ltv.expected_purchases_12m === null || ltv.expected_purchases_12m === undefined ? null : (
          <>
            <dt>Expected purchases (12 months)</dt>
            <dd>{formatNumber(ltv.expected_purchases_12m)}</dd>
          </>
        )}
        {scores.dormant_since ? (
          <>
            <dt>Dormant since</dt>
            <dd>{formatDate(scores.dormant_since)}</dd>
          </>
        ) : null}
        <dt>Scored</dt>
        <dd>
          {formatDateTime(scores.as_of)} ({ltv.basis === "model" ? "fitted model" : ltv.basis.replace(/_/g, " ")})
        </dd>
      </dl>
      {churn.reasons && churn.reasons.length > 0 ? (
        <>
          <h3>Why the churn risk</h3>
          <ul data-testid="churn-reasons">
            {churn.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Segments</h3>
      {(scores.segments ?? []).length === 0 ? (
        <p class="hint">In no dynamic segment.</p>
      ) : (
        <ul class="chips" data-testid="customer-segments">
          {(scores.segments ?? []).map((segment) => (
            <li key={segment.segment_id}>
              <span class="badge">{segment.name}</span> <span class="hint">since {formatDate(segment.entered_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function Scores({ customerId }: { customerId: string }) {
  const scores = useLoad(
    (api) => api.get("/v1/customers/{customer_id}/scores", { params: { path: { customer_id: customerId } } }),
    [customerId],
  );
  const notYet = scores.error instanceof FlywheelError && scores.error.status === 404;
  return (
    <Section title="Scores and segments" id="scores">
      {notYet ? (
        <EmptyState title="Not scored yet">Scores appear once the customer's first event is scored.</EmptyState>
      ) : scores.error !== undefined ? (
        <ProblemAlert error={scores.error} />
      ) : scores.data === undefined ? (
        <Loading label="Loading the scores" />
      ) : (
        <ScoreFacts scores={scores.data} />
      )}
    </Section>
  );
}
