/** A headline number: its name, value, and how it compares (with the previous period, or with its target). */
import type { ComponentChildren } from "preact";

export function KpiTile({
  name,
  value,
  note,
  testId,
}: {
  name: string;
  value: ComponentChildren;
  note?: ComponentChildren;
  testId?: string;
}) {
  return (
    <div class="kpi" data-testid={testId}>
      <span class="kpi-name">{name}</span>
      <span class="kpi-value">{value}</span>
      {note ? <span class="kpi-note">{note}</span> : null}
    </div>
  );
}
