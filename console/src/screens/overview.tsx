import { Placeholder } from "./placeholder.tsx";

export function Overview() {
  return <Placeholder title="Overview" />;
}
