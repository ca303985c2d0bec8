import { Placeholder } from "./placeholder.tsx";

export function Segments() {
  return <Placeholder title="Segments" />;
}
