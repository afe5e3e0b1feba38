// Hash routing with no library (/#/functions/greeter): the current location as state, `navigate` to
// move, and `Link` for real anchors (middle-click, copy-link and back/forward work natively). Hash,
// not history: the dashboard's paths share the server's space, where /functions/<name> is a
// function's own HTTP endpoint, so only the part after '#' can be the dashboard's.
import { createElement, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

export interface Location {
  /** The dashboard path, such as /functions/greeter. */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const route = location.hash.replace(/^#/, "") || "/";
  const [path = "/", search = ""] = route.split("?", 2);
  return { path, query: new URLSearchParams(search) };
}

/** The href of a dashboard path. */
export function hrefOf(path: string): string {
  return `#${path}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(null, "", hrefOf(to));
    // replaceState fires no hashchange; tell the app ourselves.
    dispatchEvent(new HashChangeEvent("hashchange"));
  } else location.hash = to;
}

/** The current location; re-renders whenever the hash changes (links, navigate, back/forward). */
export function useLocation(): Location {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current());
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return value;
}

type AnchorProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** A link to a dashboard path. */
export function Link({ to, ...props }: AnchorProps) {
  return createElement("a", { ...props, href: hrefOf(to) });
}
