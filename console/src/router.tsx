/**
 * Path routing under /console (the gateway answers index.html for every path there): `useRoute()` is the
 * current path, `navigate()` changes it, `<Link>` is an anchor that navigates without reloading.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export const BASE = "/console";

const listeners = new Set<() => void>();

/** The path inside the console ("/customers/42"), without /console. */
export function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : "/";
  return path === "" ? "/" : path;
}

export function navigate(path: string, replace = false): void {
  const url = BASE + path;
  if (replace) {
    window.history.replaceState(null, "", url);
  } else {
    window.history.pushState(null, "", url);
  }
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

export interface Route {
  path: string;
  query: URLSearchParams;
}

export function useRoute(): Route {
  const read = (): Route => ({ path: currentPath(), query: new URLSearchParams(window.location.search) });
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** `pattern` ("/customers/:id") against `path`: the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = have[index] ?? "";
    if (part.startsWith(":")) {
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

interface AnchorProps {
  href: string;
  children: ComponentChildren;
  class?: string;
  "aria-current"?: "page" | undefined;
  "aria-label"?: string;
  "data-testid"?: string;
}

/** An in-console link: `href` is a console path ("/customers"); ctrl/cmd-click still opens a new tab. */
export function Link({ href, children, ...rest }: AnchorProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={BASE + href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
