import { Placeholder } from "./placeholder.tsx";

export function SalesAnalytics() {
  return <Placeholder title="Sales analytics" />;
}
