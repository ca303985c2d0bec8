import { Placeholder } from "./placeholder.tsx";

export function SalesBoard() {
  return <Placeholder title="Sales" />;
}
