/**
 * A move the pipeline's rules refused (409 with `blockers`): the problem's title and detail, each blocker as the
 * API words it and said for people, and a way to move anyway with a reason (recorded on the deal's history).
 */
import { useState } from "preact/hooks";

import { FlywheelError } from "../../../api.ts";
import { ProblemAlert } from "../../../ui/problem.tsx";
import { explainBlocker, type StageInfo } from "../pipeline.ts";

/** The `blockers` of a refused move's problem, if it names any. */
export function blockersOf(error: unknown): string[] {
  if (!(error instanceof FlywheelError) || error.problem === undefined) return [];
  const blockers = (error.problem as Record<string, unknown>)["blockers"];
  return Array.isArray(blockers) ? blockers.filter((blocker): blocker is string => typeof blocker === "string") : [];
}

export function MoveProblem({
  error,
  dealId,
  stage,
  mayWrite,
  busy,
  onOverride,
}: {
  error: unknown;
  dealId: string;
  /** The stage the deal is held in (its checklist names the blockers). */
  stage: StageInfo | undefined;
  mayWrite: boolean;
  busy: boolean;
  onOverride: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const blockers = blockersOf(error);
  if (!(error instanceof FlywheelError) || blockers.length === 0) {
    return <ProblemAlert error={error} />;
  }
  const reasonId = `override-${dealId}`;
  return (
    <div role="alert" class="problem blocked-move" data-status={error.status} data-testid={`blockers-${dealId}`}>
      <strong>{error.title}</strong>
      {error.detail ? <p>{error.detail}</p> : null}
      <p class="blockers-lead">What keeps the deal in {stage?.name ?? "its stage"}:</p>
      <ul class="blockers">
        {blockers.map((blocker) => (
          <li key={blocker}>
            <code>{blocker}</code>: {explainBlocker(blocker, stage)}
          </li>
        ))}
      </ul>
      {mayWrite ? (
        <form
          class="override"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim() !== "") onOverride(reason.trim());
          }}
        >
          <label for={reasonId}>Reason to move anyway</label>
          <input
            id={reasonId}
            value={reason}
            maxLength={2000}
            onInput={(event) => setReason(event.currentTarget.value)}
            data-write
          />
          <button type="submit" class="secondary" data-write disabled={busy || reason.trim() === ""}>
            Move anyway
          </button>
        </form>
      ) : null}
    </div>
  );
}
