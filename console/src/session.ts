/**
 * The signed-in key: kept in sessionStorage only (never in a URL, gone when the tab closes), with what
 * `GET /v1/keys/current` said of it (workspace, scopes, owner), so screens can hide what the key may not do.
 */
import { useEffect, useState } from "preact/hooks";

const STORAGE_KEY = "flywheel.console.session";

/** What the API says of the signed-in key (GET /v1/keys/current). */
export interface KeyIdentity {
  id: string;
  name?: string | null;
  workspace: string;
  scopes: string[];
  /** The person or system the key acts for (tasks inbox: "my tasks"); null when none was named. */
  owner?: string | null;
}

export interface Session {
  /** The API key, sent as `Authorization: Bearer` by every call. */
  readonly apiKey: string;
  readonly identity: KeyIdentity;
}

const listeners = new Set<(session: Session | null) => void>();

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) {
    return null;
  }
  try {
    return JSON.parse(stored) as Session;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

export function signIn(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener(session));
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener(null));
}

/** The session, re-rendering the caller when it signs in or out. */
export function useSession(): Session | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => {
    listeners.add(setSession);
    return () => void listeners.delete(setSession);
  }, []);
  return session;
}

/** Whether the signed-in key holds `scope` (`"deals:write"`), so a screen shows its write controls; `admin`
 * implies every scope (GET /v1/keys/current lists the scopes as the key was made, not expanded). */
export function useMay(scope: string): boolean {
  const session = useSession();
  return session !== null && (session.identity.scopes.includes(scope) || session.identity.scopes.includes("admin"));
}
