// The frame around every page: a skip link, the header with who is signed in and "Sign out", and the
// section navigation (a sidebar on wide screens, a scrolling row on phones).
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Link } from "../router/router.js";
import type { Identity } from "../session/session.js";
import { SECTIONS } from "./sections.js";

export interface LayoutProps {
  path: string;
  identity: Identity;
  onSignOut: () => void;
  children: ComponentChildren;
}

/** Focus on the page's content, for keyboard and screen-reader users. */
function focusMain(): void {
  document.getElementById("main")?.focus();
}

export function Layout({ path, identity, onSignOut, children }: LayoutProps) {
  // After moving to another section, focus goes to the new page (as a page load would put it at the
  // top), not left on the link that was followed; not on the first page shown.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) focusMain();
  }, [path]);
  return (
    <div class="layout">
      {/* Not a "#main" link: the part after '#' is the dashboard's route. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          focusMain();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <Link to="/functions" class="brand">
          backend
        </Link>
        <span class="who">{identity.kind === "admin-key" ? "Admin key" : identity.email}</span>
        <button type="button" class="button button-quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="sidebar" aria-label="Sections">
        <ul>
          {SECTIONS.map((section) => {
            const current = path === section.path || path.startsWith(`${section.path}/`);
            return (
              <li key={section.path}>
                <Link to={section.path} aria-current={current ? "page" : undefined}>
                  {section.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
