/** A part of the 360 view that loads on its own: its loading state, its own problem, or its content. */
import type { ComponentChildren } from "preact";

import type { Loaded } from "../../api.ts";
import { ProblemAlert } from "../../ui/problem.tsx";
import { Loading } from "../../ui/states.tsx";

export function PartBody<T>({
  state,
  what,
  children,
}: {
  state: Loaded<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  if (state.error !== undefined) return <ProblemAlert error={state.error} />;
  if (state.data === undefined) return <Loading label={`Loading ${what}`} />;
  return <>{children(state.data)}</>;
}
