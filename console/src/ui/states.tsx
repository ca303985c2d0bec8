/** What a screen shows while it loads, when a list is empty (and what to do next), and a page's header. */
import type { ComponentChildren } from "preact";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

/** An empty list: say what it will hold and what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

/** The screen's one <h1>, a line saying what it is for, and its actions on the right. */
export function PageHeader({
  title,
  lead,
  actions,
}: {
  title: string;
  lead?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {lead ? <p class="lead">{lead}</p> : null}
      </div>
      {actions ? <div class="actions">{actions}</div> : null}
    </header>
  );
}

/** A titled block of a screen. */
export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-heading`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
