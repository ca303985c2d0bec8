/** Rewards held for review (GET /v1/referral-reviews, oldest first): approve or reject each, the row showing the outcome. */
import { useState } from "preact/hooks";

import type { components } from "../../../../clients/typescript/src/index.ts";
import { idempotencyKey, useAction, usePaged } from "../../api.ts";
import { Link } from "../../router.tsx";
import { useMay } from "../../session.ts";
import { ConfirmButton } from "../../ui/confirm.tsx";
import { formatDateTime, formatNumber } from "../../ui/format.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { EmptyState } from "../../ui/states.tsx";
import { type Column, PagedTable } from "../../ui/table.tsx";

type Review = components["schemas"]["ReviewItem"];
type Decision = "approve" | "reject";

const STATUS_BADGE: Record<string, string> = { granted: "ok", held: "warn", rejected: "bad", reversed: "bad" };
const STATUS_LABEL: Record<string, string> = { granted: "Approved", held: "Held", rejected: "Rejected", reversed: "Reversed" };

export function rewardValue(review: Pick<Review, "kind" | "value">): string {
  if (review.kind === "percent") return `${formatNumber(review.value)}% off`;
  if (review.kind === "points") return `${formatNumber(review.value)} points`;
  return formatNumber(review.value);
}

export function Reviews({ programNames }: { programNames: Record<string, string> }) {
  const may = useMay("referrals:write");
  const list = usePaged<Review>(
    (api, cursor) => api.get("/v1/referral-reviews", { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } }),
    [],
  );
  // Decided rewards, as the API answered: the row shows its new status until the list is read again.
  const [decided, setDecided] = useState<Record<string, Review>>({});
  const [comment, setComment] = useState("");
  const decide = useAction(async (api, rewardId: string, decision: Decision, text: string) => {
    const body = text.trim() === "" ? {} : { comment: text.trim() };
    const init = { params: { path: { reward_id: rewardId }, header: { "Idempotency-Key": idempotencyKey() } }, body };
    const answer =
      decision === "approve"
        ? await api.post("/v1/referral-rewards/{reward_id}/approve", init)
        : await api.post("/v1/referral-rewards/{reward_id}/reject", init);
    setDecided((previous) => ({ ...previous, [rewardId]: answer }));
    return answer;
  });

  const columns: Column<Review>[] = [
    {
      title: "For",
      cell: (row) => (
        <span class="stack">
          <Link href={`/customers/${encodeURIComponent(row.customer_id)}`} class="id">
            {row.customer_id}
          </Link>
          <span class="muted">the {row.role}</span>
        </span>
      ),
    },
    {
      title: "Program",
      cell: (row) => (
        <Link href={`/referral/${encodeURIComponent(row.program_id)}`}>{programNames[row.program_id] ?? row.program_id}</Link>
      ),
    },
    { title: "Value", numeric: true, cell: (row) => rewardValue(row) },
    { title: "Why held", cell: (row) => row.reason ?? "–" },
    { title: "Since", cell: (row) => formatDateTime(row.created_at) },
    {
      title: "Status",
      cell: (row) => {
        const status = (decided[row.reward_id] ?? row).status;
        return (
          <span class={`badge ${STATUS_BADGE[status] ?? ""}`} data-testid={`reward-status-${row.reward_id}`}>
            {STATUS_LABEL[status] ?? status}
          </span>
        );
      },
    },
  ];
  if (may) {
    columns.push({
      title: "Decision",
      cell: (row) =>
        (decided[row.reward_id] ?? row).status !== "held" ? (
          "–"
        ) : (
          <div class="actions">
            <button
              type="button"
              class="primary"
              data-write
              data-testid={`approve-${row.reward_id}`}
              disabled={decide.busy}
              onClick={() => void decide.run(row.reward_id, "approve", "")}
            >
              Approve
            </button>
            <ConfirmButton
              label="Reject"
              title="Reject this reward?"
              confirmLabel="Reject reward"
              danger
              disabled={decide.busy}
              testId={`reject-${row.reward_id}`}
              onConfirm={() => void decide.run(row.reward_id, "reject", comment).then(() => setComment(""))}
            >
              <p>
                The {rewardValue(row)} reward for {row.customer_id} is never granted. The reason is kept with the decision.
              </p>
              <label for={`reason-${row.reward_id}`}>Reason (optional)</label>
              <textarea
                id={`reason-${row.reward_id}`}
                maxLength={2000}
                rows={3}
                value={comment}
                onInput={(event) => setComment((event.target as HTMLTextAreaElement).value)}
              />
            </ConfirmButton>
          </div>
        ),
    });
  }

  return (
    <>
      <ProblemAlert error={decide.error} />
      <div class="stack-on-phone">
        <PagedTable
          list={list}
          columns={columns}
          rowKey={(row) => row.reward_id}
          caption="Rewards held for review, oldest first"
          testId="reviews"
          empty={
            <EmptyState title="No rewards wait for review">
              Rewards above a program's review threshold, or flagged by its fraud checks, appear here to approve or reject.
            </EmptyState>
          }
        />
      </div>
    </>
  );
}
