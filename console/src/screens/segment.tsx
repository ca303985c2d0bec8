import { Placeholder } from "./placeholder.tsx";

export function SegmentEditor({ id }: { id: string }) {
  return <Placeholder title={`Segment ${id}`} />;
}
