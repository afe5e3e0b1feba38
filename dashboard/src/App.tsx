// The dashboard: the login page until someone signs in, then the layout around the current page.
import { useEffect, useState } from "preact/hooks";
import { Layout } from "./layout/Layout.js";
import { sectionOf } from "./layout/sections.js";
import { navigate, useLocation } from "./router/router.js";
import { Page } from "./routes.js";
import { LoginPage } from "./session/LoginPage.js";
import { forgetSession, onSessionExpired, restoreSession, type Session, signOut } from "./session/session.js";

const EXPIRED =
  "Your session has ended (the token was revoked or has expired, or the admin key changed): sign in again.";

export function App() {
  const [session, setSession] = useState<Session | null>(restoreSession);
  const [notice, setNotice] = useState<string | undefined>();
  const location = useLocation();

  useEffect(
    () =>
      onSessionExpired(() => {
        forgetSession();
        setSession(null);
        setNotice(EXPIRED);
      }),
    [],
  );

  useEffect(() => {
    if (location.path === "/") navigate("/functions", { replace: true });
  }, [location.path]);

  useEffect(() => {
    const section = sectionOf(location.path);
    document.title = session && section ? `${section.label} · backend` : "backend dashboard";
  }, [session, location.path]);

  if (!session) {
    return (
      <LoginPage
        notice={notice}
        onSignedIn={(signedIn) => {
          setNotice(undefined);
          setSession(signedIn);
        }}
      />
    );
  }
  return (
    <Layout
      path={location.path}
      identity={session.identity}
      onSignOut={() => {
        void signOut(session);
        setSession(null);
      }}
    >
      <Page session={session} location={location} />
    </Layout>
  );
}
