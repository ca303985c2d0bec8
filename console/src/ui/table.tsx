/** A list of the API as a table, a page at a time with its cursors ("Load more"), with empty and error states. */
import type { ComponentChildren } from "preact";

import type { Paged } from "../api.ts";
import { ProblemAlert } from "./problem.tsx";
import { EmptyState, Loading } from "./states.tsx";

export interface Column<T> {
  /** The column's header. */
  title: string;
  cell: (row: T) => ComponentChildren;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

export function PagedTable<T>({
  list,
  columns,
  rowKey,
  caption,
  empty,
  testId,
}: {
  list: Paged<T>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** What the table lists (read by screen readers). */
  caption: string;
  /** The empty state: what to do next. */
  empty: ComponentChildren;
  testId?: string;
}) {
  if (list.error !== undefined && list.items.length === 0) {
    return <ProblemAlert error={list.error} />;
  }
  if (list.loading && list.items.length === 0) {
    return <Loading />;
  }
  if (list.items.length === 0) {
    return <>{empty}</>;
  }
  return (
    <div class="table-wrap">
      <Table rows={list.items} columns={columns} rowKey={rowKey} caption={caption} testId={testId} />
      <ProblemAlert error={list.error} />
      {list.more ? (
        <button type="button" class="secondary" onClick={list.loadMore} disabled={list.loading}>
          {list.loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

/** A plain table of `rows` (already loaded). */
export function Table<T>({
  rows,
  columns,
  rowKey,
  caption,
  testId,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  caption: string;
  testId?: string | undefined;
}) {
  return (
    // focusable, so a table wider than a phone's screen scrolls sideways with the keyboard too (axe: scrollable-region-focusable)
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table data-testid={testId}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.title} scope="col" class={column.numeric ? "numeric" : undefined}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.title} class={column.numeric ? "numeric" : undefined} data-label={column.title}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export { EmptyState };
