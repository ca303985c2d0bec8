/** The frame of every signed-in screen: the header (workspace, key, sign out), the main nav and the content. */
import type { ComponentChildren } from "preact";

import { useBusy } from "../api.ts";
import { Link, useRoute } from "../router.tsx";
import { signOut, useSession } from "../session.ts";

const SECTIONS: readonly { label: string; href: string }[] = [
  { label: "Overview", href: "/" },
  { label: "Customers", href: "/customers" },
  { label: "Segments", href: "/segments" },
  { label: "Journeys", href: "/journeys" },
  { label: "Referral", href: "/referral" },
  { label: "Sales", href: "/sales" },
];

function isCurrent(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}

export function Layout({ children }: { children: ComponentChildren }) {
  const busy = useBusy();
  const session = useSession();
  const { path } = useRoute();
  return (
    <div class="frame">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Flywheel</span>
        {session ? (
          <span class="who" data-testid="signed-in-as">
            <span class="workspace">{session.identity.workspace}</span>
            {session.identity.owner ? <span class="owner">{session.identity.owner}</span> : null}
          </span>
        ) : null}
        <button type="button" class="link-button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main" class="main-nav">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <Link href={section.href} aria-current={isCurrent(section.href, path) ? "page" : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} aria-busy={busy ? "true" : "false"}>
        {children}
      </main>
    </div>
  );
}

/** The links between a section's screens (Sales: Board, Tasks, Quotes, Analytics). */
export function SubNav({ label, links }: { label: string; links: readonly { label: string; href: string }[] }) {
  const { path } = useRoute();
  return (
    <nav aria-label={label} class="sub-nav">
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={path === link.href ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
