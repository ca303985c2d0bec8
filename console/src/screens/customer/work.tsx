/** The sales side of the customer (their deals, GET /v1/deals?customer_id; their tasks) and their merges. */
import { usePaged } from "../../api.ts";
import { Link } from "../../router.tsx";
import { formatDate, formatDateTime, formatMoney } from "../../ui/format.ts";
import { EmptyState, Section } from "../../ui/states.tsx";
import { PagedTable, Table } from "../../ui/table.tsx";
import type { Customer360 } from "./people.ts";

export function Deals({ customerId }: { customerId: string }) {
  const deals = usePaged(
    (api, cursor) =>
      api.get("/v1/deals", { params: { query: { customer_id: customerId, limit: 20, ...(cursor ? { cursor } : {}) } } }),
    [customerId],
  );
  return (
    <Section title="Deals" id="deals">
      <PagedTable
        list={deals}
        rowKey={(deal) => deal.deal_id}
        caption="The customer's deals"
        testId="customer-deals"
        empty={<EmptyState title="No deals">Deals for this customer show here once sales opens one.</EmptyState>}
        columns={[
          { title: "Deal", cell: (deal) => <Link href="/sales">{deal.title}</Link> },
          { title: "Stage", cell: (deal) => deal.stage },
          { title: "Status", cell: (deal) => deal.status },
          { title: "Amount", numeric: true, cell: (deal) => formatMoney(deal.amount, deal.currency) },
          { title: "Owner", cell: (deal) => deal.owner ?? "–" },
        ]}
      />
    </Section>
  );
}

/** Tasks come with the 360 view (GET /v1/tasks has no customer filter): open ones first, by due date. */
export function Tasks({ customer }: { customer: Customer360 }) {
  const tasks = customer.tasks ?? [];
  return (
    <Section title="Tasks" id="tasks">
      {tasks.length === 0 ? (
        <EmptyState title="No tasks">Tasks about this customer show here (see Sales, Tasks).</EmptyState>
      ) : (
        <Table
          rows={tasks}
          rowKey={(task) => task.task_id}
          caption="Sales tasks about the customer"
          testId="customer-tasks"
          columns={[
            { title: "Task", cell: (task) => task.title },
            { title: "Status", cell: (task) => task.status },
            { title: "Due", cell: (task) => formatDate(task.due_at) },
            { title: "Assignee", cell: (task) => task.assignee ?? "–" },
          ]}
        />
      )}
    </Section>
  );
}

export function Merges({ customerId }: { customerId: string }) {
  const merges = usePaged(
    (api, cursor) =>
      api.get("/v1/customers/{customer_id}/merges", {
        params: { path: { customer_id: customerId }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
      }),
    [customerId],
  );
  return (
    <Section title="Merges" id="merges">
      <PagedTable
        list={merges}
        rowKey={(merge) => merge.merge_id}
        caption="Profiles merged into this customer, newest first"
        testId="customer-merges"
        empty={<p class="hint">No other profile was merged into this one.</p>}
        columns={[
          { title: "Merged id", cell: (merge) => <code>{merge.merged_id}</code> },
          {
            title: "Why",
            cell: (merge) =>
              `${merge.cause.reason}${(merge.cause.identifiers ?? []).length ? `: ${(merge.cause.identifiers ?? []).map((id) => `${id.kind} ${id.value}`).join(", ")}` : ""}`,
          },
          { title: "When", cell: (merge) => formatDateTime(merge.merged_at) },
          { title: "Undone", cell: (merge) => (merge.undone ? `yes, ${formatDate(merge.undone_at)}` : "no") },
        ]}
      />
    </Section>
  );
}
