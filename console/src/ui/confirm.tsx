/** A button that asks before it acts (erase, reject, ...): a modal <dialog>, keyboard and screen-reader friendly. */
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";

export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  danger = false,
  disabled = false,
  testId,
}: {
  /** The button's text. */
  label: string;
  /** The question the dialog asks. */
  title: string;
  /** What will happen, in a sentence or two. */
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = `${(testId ?? label).replace(/[^a-z0-9]+/gi, "-")}-title`;
  return (
    <>
      <button
        type="button"
        class={danger ? "danger" : "secondary"}
        data-write
        data-testid={testId}
        disabled={disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} class="confirm">
        <form method="dialog">
          <h2 id={titleId}>{title}</h2>
          <div>{children}</div>
          <div class="actions">
            <button type="submit" value="cancel" class="secondary">
              Cancel
            </button>
            <button
              type="submit"
              value="confirm"
              class={danger ? "danger" : "primary"}
              onClick={() => onConfirm()}
            >
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
