import { Placeholder } from "./placeholder.tsx";

export function SalesQuotes() {
  return <Placeholder title="Quotes" />;
}
