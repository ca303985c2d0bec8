import { Placeholder } from "./placeholder.tsx";

export function Referral() {
  return <Placeholder title="Referral" />;
}
