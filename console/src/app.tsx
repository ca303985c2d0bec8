/** The console: the sign-in form until a key is kept, then the screen of the current path inside the frame. */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

import { match, navigate, useRoute } from "./router.tsx";
import { Customer } from "./screens/customer.tsx";
import { Customers } from "./screens/customers.tsx";
import { Journey } from "./screens/journey.tsx";
import { Journeys } from "./screens/journeys.tsx";
import { Overview } from "./screens/overview.tsx";
import { Referral } from "./screens/referral.tsx";
import { ReferralProgram } from "./screens/referral-program.tsx";
import { SalesAnalytics } from "./screens/sales-analytics.tsx";
import { SalesBoard } from "./screens/sales-board.tsx";
import { SalesQuotes } from "./screens/sales-quotes.tsx";
import { SalesTasks } from "./screens/sales-tasks.tsx";
import { SegmentEditor } from "./screens/segment.tsx";
import { Segments } from "./screens/segments.tsx";
import { SignIn } from "./screens/sign-in.tsx";
import { useSession } from "./session.ts";
import { Layout } from "./ui/layout.tsx";
import { EmptyState, PageHeader } from "./ui/states.tsx";

type Screen = (params: Record<string, string>) => ComponentChildren;

/** Every screen by its path; the first that matches wins. */
const SCREENS: readonly [string, Screen][] = [
  ["/", () => <Overview />],
  ["/customers", () => <Customers />],
  ["/customers/:id", ({ id }) => <Customer id={id ?? ""} />],
  ["/segments", () => <Segments />],
  ["/segments/new", () => <SegmentEditor id="new" />],
  ["/segments/:id", ({ id }) => <SegmentEditor id={id ?? ""} />],
  ["/journeys", () => <Journeys />],
  ["/journeys/:id", ({ id }) => <Journey id={id ?? ""} />],
  ["/referral", () => <Referral />],
  ["/referral/:id", ({ id }) => <ReferralProgram id={id ?? ""} />],
  ["/sales", () => <SalesBoard />],
  ["/sales/tasks", () => <SalesTasks />],
  ["/sales/quotes", () => <SalesQuotes />],
  ["/sales/analytics", () => <SalesAnalytics />],
];

function NotFound() {
  return (
    <>
      <PageHeader title="Not found" />
      <EmptyState title="There is no such screen">Pick a section from the menu.</EmptyState>
    </>
  );
}

export function App() {
  const session = useSession();
  const { path } = useRoute();

  useEffect(() => {
    if (session === null && path !== "/sign-in") navigate("/sign-in", true);
    if (session !== null && path === "/sign-in") navigate("/", true);
  }, [session, path]);

  if (session === null) {
    return <SignIn />;
  }
  for (const [pattern, screen] of SCREENS) {
    const params = match(pattern, path);
    if (params !== null) {
      // keyed by path: a screen's state starts afresh on another customer, journey, ...
      return <Layout key={path}>{screen(params)}</Layout>;
    }
  }
  return (
    <Layout>
      <NotFound />
    </Layout>
  );
}
