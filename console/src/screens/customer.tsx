import { Placeholder } from "./placeholder.tsx";

export function Customer({ id }: { id: string }) {
  return <Placeholder title={`Customer ${id}`} />;
}
