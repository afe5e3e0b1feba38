// The frame around every page: a skip link, the header with who is signed in and "Sign out", and the
// section navigation (a sidebar on wide screens, a scrolling row on phones).
import type { ComponentChildren } from "preact";
import { Link } from "../router/router.js";
import type { Identity } from "../session/session.js";
import { SECTIONS } from "./sections.js";

export interface LayoutProps {
  path: string;
  identity: Identity;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Layout({ path, identity, onSignOut, children }: LayoutProps) {
  return (
    <div class="layout">
      <a class="skip-link" href="#main">
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
