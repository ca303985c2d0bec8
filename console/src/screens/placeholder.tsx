/** A screen not built yet: its heading and a pointer to the API. */
import { EmptyState, PageHeader } from "../ui/states.tsx";

export function Placeholder({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Coming soon">
        This screen is not built yet; the same data is in the API (<a href="/docs">/docs</a>).
      </EmptyState>
    </>
  );
}
