/** The tasks inbox: the signed-in key's owner's tasks (GET /v1/tasks?assignee=), open first by due date. */
import { useState } from "preact/hooks";

import { idempotencyKey, useAction, usePaged } from "../api.ts";
import { useMay, useSession } from "../session.ts";
import { ProblemAlert } from "../ui/problem.tsx";
import { EmptyState, PageHeader } from "../ui/states.tsx";
import { PagedTable } from "../ui/table.tsx";
import { SalesNav } from "./sales/sales-nav.tsx";
import { type Task, taskColumns } from "./sales/task-columns.tsx";
import { ChoiceFilter } from "../ui/choice.tsx";

type Filter = "open" | "done" | "all";

const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "done", label: "Done" },
  { value: "all", label: "All" },
];

function Inbox({ owner }: { owner: string }) {
  const may = useMay("sales:write");
  const [filter, setFilter] = useState<Filter>("open");
  const list = usePaged<Task>(
    (api, cursor) =>
      api.get("/v1/tasks", {
        params: {
          query: {
            assignee: owner,
            limit: 25,
            ...(filter === "all" ? {} : { status: filter }),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    [owner, filter],
  );
  // Tasks completed here, as the API answered: the row shows "Done" until the list is read again.
  const [completed, setCompleted] = useState<Record<string, Task>>({});
  const complete = useAction(async (api, taskId: string) => {
    const answer = await api.post("/v1/tasks/{task_id}/complete", {
      params: { path: { task_id: taskId }, header: { "Idempotency-Key": idempotencyKey() } },
      body: owner.length <= 100 ? { completed_by: owner } : {},
    });
    setCompleted((previous) => ({ ...previous, [taskId]: answer }));
    return answer;
  });
  const status = (task: Task): Task => completed[task.task_id] ?? task;
  const columns = taskColumns(
    Date.now(),
    status,
    list.items.some((task) => task.predicted_clv),
  );
  if (may) {
    columns.push({
      title: "Action",
      cell: (row) =>
        status(row).status === "open" ? (
          <button
            type="button"
            class="primary"
            data-write
            data-testid={`complete-${row.task_id}`}
            disabled={complete.busy}
            onClick={() => void complete.run(row.task_id)}
          >
            Complete
          </button>
        ) : (
          "–"
        ),
    });
  }
  return (
    <>
      <ChoiceFilter id="task-filter" label="Show" value={filter} options={FILTERS} onChange={setFilter} />
      <ProblemAlert error={complete.error} />
      <div class="stack-on-phone">
        <PagedTable
          list={list}
          columns={columns}
          rowKey={(row) => row.task_id}
          caption={`Tasks of ${owner}, open first by due date`}
          testId="tasks"
          empty={
            <EmptyState title={filter === "done" ? "No completed tasks yet" : "No tasks for you"}>
              {filter === "done"
                ? "Tasks you complete show here."
                : "Tasks assigned to you by journeys, pipeline checklists and churn signals show here; nothing to do for now."}
            </EmptyState>
          }
        />
      </div>
    </>
  );
}

export function SalesTasks() {
  const owner = useSession()?.identity.owner ?? "";
  return (
    <>
      <PageHeader title="Tasks" lead={owner ? `Assigned to ${owner}, open first by due date.` : undefined} />
      <SalesNav />
      {owner ? (
        <Inbox owner={owner} />
      ) : (
        <EmptyState title="This key acts for no one">
          The tasks inbox lists the tasks of the key's owner. Sign in with a key created with an owner
          (<code>POST /v1/keys</code> with <code>owner</code>) to see your tasks.
        </EmptyState>
      )}
    </>
  );
}
