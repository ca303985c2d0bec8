/**
 * Every call of the console goes through the generated client of the public API (clients/typescript), with the
 * signed-in key; nothing else is called. Hooks here load one answer (`useLoad`) or a list page by page with the
 * API's cursors (`usePaged`), and keep the problem of a failed call for `<ProblemAlert>`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";

import { createFlywheel, FlywheelError, type Flywheel } from "../../clients/typescript/src/index.ts";
import { currentSession, type KeyIdentity, signOut, useSession } from "./session.ts";

export { FlywheelError, type Flywheel };

let pending = 0;
const busyListeners = new Set<(busy: boolean) => void>();

function setPending(change: number): void {
  pending += change;
  busyListeners.forEach((listener) => listener(pending > 0));
}

/** fetch, counting the calls in flight: the main region is `aria-busy` while any is (tests wait on it too). */
const countingFetch = async (request: Request): Promise<Response> => {
  setPending(1);
  try {
    return await fetch(request);
  } finally {
    setPending(-1);
  }
};

/** Whether any API call is in flight. */
export function useBusy(): boolean {
  const [busy, setBusy] = useState(pending > 0);
  useEffect(() => {
    busyListeners.add(setBusy);
    return () => void busyListeners.delete(setBusy);
  }, []);
  return busy;
}

/** A client for `apiKey`, on the origin that served the console. */
export function flywheelFor(apiKey: string): Flywheel {
  return createFlywheel({ baseUrl: window.location.origin, apiKey, fetch: countingFetch });
}

/** What the API says of `apiKey` (GET /v1/keys/current), or the problem why it is refused. */
export async function currentKey(apiKey: string): Promise<KeyIdentity> {
  const { data, error, response } = await flywheelFor(apiKey).raw.GET("/v1/keys/current" as never);
  if (error !== undefined || !response.ok) {
    throw FlywheelError.fromAnswer(response, error);
  }
  return data as unknown as KeyIdentity;
}

/** The client of the signed-in key. Screens render only inside a session, so it is always there. */
export function useApi(): Flywheel {
  const session = useSession();
  const apiKey = session?.apiKey ?? currentSession()?.apiKey ?? "";
  return useMemo(() => flywheelFor(apiKey), [apiKey]);
}

/** A 401 means the key was revoked or expired while signed in: back to the sign-in form. */
function signOutIfRefused(error: unknown): void {
  if (error instanceof FlywheelError && error.status === 401) {
    signOut();
  }
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** The answer of `load` (called again when `deps` change, or on `reload()`). */
export function useLoad<T>(load: (api: Flywheel) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const api = useApi();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load(api).then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        signOutIfRefused(error);
        if (current) setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, generation, ...deps]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** A page of a cursor-paged list, as every list of the API answers. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface Paged<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  /** Whether the API said there is a next page. */
  more: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A list loaded a page at a time: `fetchPage(cursor)` with the previous page's `next_cursor`. */
export function usePaged<T>(
  fetchPage: (api: Flywheel, cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const api = useApi();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const run = useRef(0);

  const load = useCallback(
    (after: string | undefined, append: boolean) => {
      const ticket = ++run.current;
      setLoading(true);
      fetchPage(api, after).then(
        (page) => {
          if (ticket !== run.current) return;
          setItems((previous) => (append ? [...previous, ...page.items] : page.items));
          setCursor(page.next_cursor ?? null);
          setError(undefined);
          setLoading(false);
        },
        (failure: unknown) => {
          signOutIfRefused(failure);
          if (ticket !== run.current) return;
          setError(failure);
          setLoading(false);
        },
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ...deps],
  );
  useEffect(() => load(undefined, false), [load, generation]);
  return {
    items,
    error,
    loading,
    more: typeof cursor === "string" && cursor !== "",
    loadMore: () => {
      if (typeof cursor === "string" && cursor !== "") load(cursor, true);
    },
    reload: () => setGeneration((n) => n + 1),
  };
}

/** Runs a write (`action`), keeping its problem for display; `busy` while it runs. */
export function useAction<A extends unknown[], R>(
  action: (api: Flywheel, ...args: A) => Promise<R>,
): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: unknown; clear: () => void } {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action(api, ...args);
    } catch (failure) {
      signOutIfRefused(failure);
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}

/** A fresh Idempotency-Key for one user action (a retried click then has effect once). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
