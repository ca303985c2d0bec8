/**
 * The 360 view of a customer: who they are, what they did, their scores, timeline, journeys, referrals, points,
 * deals, tasks and merges. The profile (GET /v1/customers/{id}) comes first; every other part then loads on its
 * own call and shows its own problem, so one service (or scope) missing breaks only its part.
 */
import { useLoad } from "../api.ts";
import { Link } from "../router.tsx";
import { ProblemAlert } from "../ui/problem.tsx";
import { Loading, PageHeader } from "../ui/states.tsx";
import { CustomerActions } from "./customer/actions.tsx";
import { Journeys, Points, Referrals } from "./customer/engagement.tsx";
import { Identity, Stats } from "./customer/identity.tsx";
import { displayName, firstEmail } from "./customer/people.ts";
import { Scores } from "./customer/scores.tsx";
import { Timeline } from "./customer/timeline.tsx";
import { Deals, Merges, Tasks } from "./customer/work.tsx";

export function Customer({ id }: { id: string }) {
  const view = useLoad(
    (api) => api.get("/v1/customers/{customer_id}", { params: { path: { customer_id: id } } }),
    [id],
  );
  const back = (
    <p class="back">
      <Link href="/customers">← Customers</Link>
    </p>
  );
  if (view.data === undefined) {
    return (
      <>
        {back}
        <PageHeader title="Customer" />
        {view.error !== undefined ? <ProblemAlert error={view.error} /> : <Loading label="Loading the customer" />}
      </>
    );
  }
  const customer = view.data;
  const name = displayName(customer);
  const email = firstEmail(customer);
  // merged-away ids answer the survivor: its parts are asked by the survivor's id
  const customerId = customer.customer_id;
  return (
    <div class="customer-360">
      {back}
      <PageHeader
        title={name}
        lead={
          <span data-testid="customer-email">
            {email && email !== name ? email : customerId}
          </span>
        }
        actions={<CustomerActions customerId={customerId} name={name} />}
      />
      {(customer.degraded ?? []).length > 0 ? (
        <div role="alert" class="problem">
          <strong>Some services did not answer</strong>
          <p>Their sections may be empty: {(customer.degraded ?? []).join(", ")}.</p>
        </div>
      ) : null}
      <Stats customer={customer} />
      <div class="grid">
        <Identity customer={customer} />
        <Scores customerId={customerId} />
      </div>
      <Timeline customerId={customerId} />
      <div class="grid pairs">
        <Journeys customerId={customerId} />
        <Referrals customer={customer} />
        <Points customerId={customerId} />
        <Merges customerId={customerId} />
      </div>
      <Deals customerId={customerId} />
      <Tasks customer={customer} />
    </div>
  );
}
