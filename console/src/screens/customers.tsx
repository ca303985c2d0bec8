import { Placeholder } from "./placeholder.tsx";

export function Customers() {
  return <Placeholder title="Customers" />;
}
