import { Placeholder } from "./placeholder.tsx";

export function Journeys() {
  return <Placeholder title="Journeys" />;
}
