/** Approve or reject a quote's discount (POST /v1/quotes/{id}/approve|reject, scope sales:approve). */
import { useState } from "preact/hooks";

import { idempotencyKey, useAction } from "../../api.ts";
import { ConfirmButton } from "../../ui/confirm.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";
import type { Quote } from "./quote-source.ts";

export function QuoteDecision({
  quote,
  onDecided,
  where,
}: {
  quote: Pick<Quote, "quote_id" | "status">;
  onDecided: (quote: Quote) => void;
  /** Which list the row is in: the dialog's ids stay unique when a quote shows in two. */
  where: string;
}) {
  const [comment, setComment] = useState("");
  const decide = useAction(async (api, decision: "approve" | "reject", text: string) => {
    const init = {
      params: { path: { quote_id: quote.quote_id }, header: { "Idempotency-Key": idempotencyKey() } },
      body: { comment: text.trim() },
    };
    const answer =
      decision === "approve"
        ? await api.post("/v1/quotes/{quote_id}/approve", init)
        : await api.post("/v1/quotes/{quote_id}/reject", init);
    onDecided(answer);
    return answer;
  });
  if (quote.status !== "pending_approval") return <>–</>;
  return (
    <div>
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-write
          data-testid={`approve-${quote.quote_id}`}
          disabled={decide.busy}
          onClick={() => void decide.run("approve", "")}
        >
          Approve
        </button>
        <ConfirmButton
          label="Reject"
          title="Reject this discount?"
          confirmLabel="Reject quote"
          danger
          disabled={decide.busy}
          testId={`reject-${where}-${quote.quote_id}`}
          onConfirm={() => void decide.run("reject", comment)}
        >
          <p>A rejected quote cannot be accepted; the deal needs a new quote. Your comment is kept with the decision.</p>
          <label for={`comment-${where}-${quote.quote_id}`}>Comment (optional)</label>
          <textarea
            id={`comment-${where}-${quote.quote_id}`}
            maxLength={2000}
            rows={3}
            value={comment}
            onInput={(event) => setComment((event.target as HTMLTextAreaElement).value)}
          />
        </ConfirmButton>
      </div>
      <ProblemAlert error={decide.error} />
    </div>
  );
}
