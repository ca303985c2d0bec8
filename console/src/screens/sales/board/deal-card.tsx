/**
 * A deal on the board: its title, customer, amount, owner and age, and (for a key that may write sales) the
 * keyboard-friendly "Move to" control, won and lost. A refused move shows its blockers right under the card.
 */
import { useEffect, useRef, useState } from "preact/hooks";

import { type Flywheel, idempotencyKey, useAction } from "../../../api.ts";
import { Link } from "../../../router.tsx";
import { ConfirmButton } from "../../../ui/confirm.tsx";
import { formatMoney } from "../../../ui/format.ts";
import { ProblemAlert } from "../../../ui/problem.tsx";
import { age, type Deal, type DealSummary, type StageInfo } from "../pipeline.ts";
import { MoveProblem } from "./blocked-move.tsx";

function move(api: Flywheel, dealId: string, stage: string, overrideReason?: string): Promise<Deal> {
  return api.post("/v1/deals/{deal_id}/move", {
    params: { path: { deal_id: dealId }, header: { "Idempotency-Key": idempotencyKey() } },
    body: overrideReason === undefined ? { stage } : { stage, override_reason: overrideReason },
  });
}

function win(api: Flywheel, dealId: string): Promise<Deal> {
  return api.post("/v1/deals/{deal_id}/won", {
    params: { path: { deal_id: dealId }, header: { "Idempotency-Key": idempotencyKey() } },
    body: {},
  });
}

function lose(api: Flywheel, dealId: string, reason: string): Promise<Deal> {
  return api.post("/v1/deals/{deal_id}/lost", {
    params: { path: { deal_id: dealId }, header: { "Idempotency-Key": idempotencyKey() } },
    body: { reason },
  });
}

/** The stage a deal would usually go to next: the one after its own, else the one before. */
function nextStage(stages: StageInfo[], current: string): string {
  const position = stages.findIndex((stage) => stage.id === current);
  const after = stages[position + 1] ?? stages[position - 1] ?? stages.find((stage) => stage.id !== current);
  return after?.id ?? "";
}

export function DealCard({
  deal,
  stages,
  mayWrite,
  onChanged,
  onOpen,
  justMoved = false,
}: {
  deal: DealSummary;
  stages: StageInfo[];
  mayWrite: boolean;
  onChanged: (deal: Deal) => void;
  onOpen: (dealId: string) => void;
  /** The card was just moved here: it takes the focus (its Move button is gone) and scrolls into view. */
  justMoved?: boolean;
}) {
  const id = deal.deal_id;
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!justMoved || card.current === null) return;
    card.current.scrollIntoView({ block: "nearest", inline: "nearest" });
    card.current.focus({ preventScroll: true });
  }, [justMoved]);
  const [target, setTarget] = useState(() => nextStage(stages, deal.stage));
  const [attempted, setAttempted] = useState<string | null>(null);
  const [losing, setLosing] = useState(false);
  const [lossReason, setLossReason] = useState("");
  const moving = useAction(move);
  const closing = useAction((api: Flywheel, outcome: "won" | "lost") =>
    outcome === "won" ? win(api, id) : lose(api, id, lossReason.trim()),
  );
  const busy = moving.busy || closing.busy;
  const open = deal.status === "open";
  const titleId = `deal-${id}-title`;

  const moveTo = async (stage: string, overrideReason?: string) => {
    setAttempted(stage);
    const moved = await moving.run(id, stage, overrideReason);
    if (moved !== undefined) {
      setAttempted(null);
      onChanged(moved);
    }
  };
  const close = async (outcome: "won" | "lost") => {
    const closed = await closing.run(outcome);
    if (closed !== undefined) onChanged(closed);
  };

  return (
    <article
      ref={card}
      class="deal-card"
      tabIndex={-1}
      aria-labelledby={titleId}
      data-testid={`deal-${id}`}
      data-stage={deal.stage}
    >
      <h3 id={titleId}>{deal.title}</h3>
      <dl class="deal-facts">
        <dt>Customer</dt>
        <dd class="customer">
          {deal.customer_id ? <Link href={`/customers/${deal.customer_id}`}>{deal.customer_id}</Link> : "erased"}
        </dd>
        <dt>Amount</dt>
        <dd class="amount">{formatMoney(deal.amount, deal.currency)}</dd>
        <dt>Owner</dt>
        <dd>{deal.owner ?? "unassigned"}</dd>
        <dt>Age</dt>
        <dd>
          <time dateTime={deal.created_at}>{age(deal.created_at)}</time>
        </dd>
      </dl>
      {open && mayWrite && stages.length > 1 ? (
        <form
          class="move"
          onSubmit={(event) => {
            event.preventDefault();
            if (target !== "") void moveTo(target);
          }}
        >
          <label for={`move-${id}`}>Move to</label>
          <div class="move-row">
            <select
              id={`move-${id}`}
              value={target}
              onChange={(event) => setTarget(event.currentTarget.value)}
              data-write
              data-testid={`move-${id}`}
            >
              {stages
                .filter((stage) => stage.id !== deal.stage)
                .map((stage) => (
                  <option key={stage.id} value={stage.id}>
                    {stage.name}
                  </option>
                ))}
            </select>
            <button type="submit" class="primary" data-write disabled={busy}>
              Move
            </button>
          </div>
        </form>
      ) : null}
      {moving.error !== undefined && attempted !== null ? (
        <MoveProblem
          error={moving.error}
          dealId={id}
          stage={stages.find((stage) => stage.id === deal.stage)}
          mayWrite={mayWrite}
          busy={busy}
          onOverride={(reason) => void moveTo(attempted, reason)}
        />
      ) : null}
      <div class="card-actions">
        <button type="button" class="link-button" onClick={() => onOpen(id)} aria-haspopup="dialog">
          Details<span class="visually-hidden"> of {deal.title}</span>
        </button>
        {open && mayWrite ? (
          <>
            <ConfirmButton
              label="Won"
              title={`Mark “${deal.title}” won?`}
              confirmLabel="Mark won"
              disabled={busy}
              testId={`won-${id}`}
              onConfirm={() => void close("won")}
            >
              Won and lost are final: the deal leaves the board's stages for good.
            </ConfirmButton>
            <button
              type="button"
              class="secondary small"
              data-write
              aria-expanded={losing}
              onClick={() => setLosing(!losing)}
            >
              Lost…
            </button>
          </>
        ) : null}
        {open ? null : <span class={`badge ${deal.status === "won" ? "ok" : "bad"}`}>{deal.status}</span>}
      </div>
      {losing && open && mayWrite ? (
        <form
          class="lose"
          onSubmit={(event) => {
            event.preventDefault();
            if (lossReason.trim() !== "") void close("lost");
          }}
        >
          <label for={`lost-${id}`}>Why was it lost?</label>
          <input
            id={`lost-${id}`}
            value={lossReason}
            maxLength={2000}
            required
            onInput={(event) => setLossReason(event.currentTarget.value)}
            data-write
          />
          <button type="submit" class="danger small" data-write disabled={busy || lossReason.trim() === ""}>
            Mark lost
          </button>
        </form>
      ) : null}
      <ProblemAlert error={closing.error} />
    </article>
  );
}
