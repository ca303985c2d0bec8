/**
 * The data-protection actions on a customer: export everything held on them (GET .../export, saved as a JSON
 * file) and erase them (DELETE /v1/customers/{id}, after a confirmation). Both are shown only to a key that
 * may erase: the export is every record of a person, so the console offers it with the erasure, to the
 * data-protection role, and a read-only key sees neither.
 */
import { idempotencyKey, useAction } from "../../api.ts";
import { navigate } from "../../router.tsx";
import { useMay } from "../../session.ts";
import { ConfirmButton } from "../../ui/confirm.tsx";
import { ProblemAlert } from "../../ui/problem.tsx";

/** Offers `document` as a file download (a Blob URL: nothing leaves the browser). */
function download(document: unknown, name: string): void {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const anchor = window.document.createElement("a");
  anchor.href = url;
  anchor.download = name;
  anchor.rel = "noopener";
  window.document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function CustomerActions({ customerId, name }: { customerId: string; name: string }) {
  const mayErase = useMay("customers:erase");
  const exporting = useAction((api) =>
    api.get("/v1/customers/{customer_id}/export", { params: { path: { customer_id: customerId } } }),
  );
  const erasing = useAction((api) =>
    api.delete("/v1/customers/{customer_id}", {
      params: { path: { customer_id: customerId }, header: { "Idempotency-Key": idempotencyKey() } },
    }),
  );
  if (!mayErase) return null;
  return (
    <>
      <button
        type="button"
        class="secondary"
        data-write
        data-testid="export-customer"
        disabled={exporting.busy}
        onClick={async () => {
          const document = await exporting.run();
          if (document !== undefined) download(document, `customer-${customerId}.json`);
        }}
      >
        {exporting.busy ? "Exporting…" : "Export data"}
      </button>
      <ConfirmButton
        label="Erase customer"
        title={`Erase ${name}?`}
        confirmLabel="Erase for good"
        danger
        disabled={erasing.busy}
        testId="erase-customer"
        onConfirm={async () => {
          const erased = await erasing.run();
          if (erased !== undefined) navigate(`/customers?erased=${encodeURIComponent(erased.customer_id)}`);
        }}
      >
        Every service deletes what it holds on this customer and on the profiles merged into them, and later events
        with their identifiers are dropped. This cannot be undone.
      </ConfirmButton>
      <div class="actions-problems">
        <ProblemAlert error={exporting.error} />
        <ProblemAlert error={erasing.error} />
      </div>
    </>
  );
}
