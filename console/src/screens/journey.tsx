import { Placeholder } from "./placeholder.tsx";

export function Journey({ id }: { id: string }) {
  return <Placeholder title={`Journey ${id}`} />;
}
