/** Referral: the programs with their headline numbers, and the rewards held for review to approve or reject. */
import { usePaged } from "../api.ts";
import { PageHeader, Section } from "../ui/states.tsx";
import { type Program, Programs } from "./referral/programs.tsx";
import { Reviews } from "./referral/reviews.tsx";

export function Referral() {
  const programs = usePaged<Program>(
    (api, cursor) => api.get("/v1/referral-programs", { params: { query: { limit: 10, ...(cursor ? { cursor } : {}) } } }),
    [],
  );
  const names = Object.fromEntries(programs.items.map((program) => [program.program_id, program.name]));
  return (
    <>
      <PageHeader title="Referral" lead="Programs, how friends convert, and the rewards waiting for a decision." />
      <Section title="Rewards to review" id="reviews">
        <Reviews programNames={names} />
      </Section>
      <Section title="Programs" id="programs">
        <Programs list={programs} />
      </Section>
    </>
  );
}
