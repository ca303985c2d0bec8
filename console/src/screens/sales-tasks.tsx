import { Placeholder } from "./placeholder.tsx";

export function SalesTasks() {
  return <Placeholder title="Tasks" />;
}
