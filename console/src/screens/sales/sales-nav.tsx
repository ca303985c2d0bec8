/** The links between the Sales screens (Board, Tasks, Quotes, Analytics), shown under each one's heading. */
import { SubNav } from "../../ui/layout.tsx";

const SALES_LINKS: readonly { label: string; href: string }[] = [
  { label: "Board", href: "/sales" },
  { label: "Tasks", href: "/sales/tasks" },
  { label: "Quotes", href: "/sales/quotes" },
  { label: "Analytics", href: "/sales/analytics" },
];

export function SalesNav() {
  return <SubNav label="Sales" links={SALES_LINKS} />;
}
