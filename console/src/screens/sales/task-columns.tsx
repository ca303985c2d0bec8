/** The columns of the tasks inbox: what, when (overdue marked), for whom, and the action. */
import type { components } from "../../../../clients/typescript/src/index.ts";
import { Link } from "../../router.tsx";
import { formatDateTime, formatMoney } from "../../ui/format.ts";
import type { Column } from "../../ui/table.tsx";

export type Task = components["schemas"]["Task"];

export function isOverdue(task: Task, now: number): boolean {
  return task.status === "open" && !!task.due_at && new Date(task.due_at).getTime() < now;
}

function Due({ task, now }: { task: Task; now: number }) {
  if (!task.due_at) return <span class="muted">No due date</span>;
  return (
    <span>
      {formatDateTime(task.due_at)}
      {isOverdue(task, now) ? (
        <>
          {" "}
          <span class="badge bad" data-testid="overdue">
            Overdue
          </span>
        </>
      ) : null}
    </span>
  );
}

function About({ task }: { task: Task }) {
  const parts = [];
  if (task.customer_id) {
    parts.push(
      <Link key="customer" class="id" href={`/customers/${encodeURIComponent(task.customer_id)}`}>
        Customer {task.customer_id}
      </Link>,
    );
  }
  if (task.deal_id) {
    parts.push(
      <Link key="deal" class="id" href={`/sales?deal=${encodeURIComponent(task.deal_id)}`}>
        Deal {task.deal_id}
      </Link>,
    );
  }
  return parts.length === 0 ? <span class="muted">–</span> : <span class="stack">{parts}</span>;
}

/** `withClv`: whether any task carries a predicted CLV (else the column would hold only dashes). */
export function taskColumns(now: number, status: (task: Task) => Task, withClv: boolean): Column<Task>[] {
  const columns: Column<Task>[] = [
    {
      title: "Task",
      cell: (row) => (
        <div>
          <span data-testid={`task-${row.task_id}`}>{row.title}</span>
          {row.churn_reasons && row.churn_reasons.length > 0 ? (
            <ul class="reasons">
              {row.churn_reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ),
    },
    { title: "Due", cell: (row) => <Due task={status(row)} now={now} /> },
    { title: "About", cell: (row) => <About task={row} /> },
    {
      title: "Status",
      cell: (row) => {
        const current = status(row);
        return (
          <span class={`badge ${current.status === "done" ? "ok" : ""}`} data-testid={`task-status-${row.task_id}`}>
            {current.status === "done" ? "Done" : "Open"}
          </span>
        );
      },
    },
  ];
  if (withClv) {
    columns.splice(3, 0, { title: "Predicted CLV", numeric: true, cell: (row) => formatMoney(row.predicted_clv) });
  }
  return columns;
}
