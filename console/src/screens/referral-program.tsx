import { Placeholder } from "./placeholder.tsx";

export function ReferralProgram({ id }: { id: string }) {
  return <Placeholder title={`Referral program ${id}`} />;
}
