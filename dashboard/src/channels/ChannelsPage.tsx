// Channels: /channels lists the channels with connected members across all nodes (refreshed every
// few seconds); /channels/<name> shows who is in one and a console that sends into it as the admin
// and shows its messages live.
import { useState } from "preact/hooks";
import { Link, type Location, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { channelPath } from "./channelPath.js";
import { ChannelView } from "./ChannelView.js";
import { POLL_MS, usePolling } from "../ui/usePolling.js";
import "./channels.css";

export function ChannelsPage({ session, location }: { session: Session; location: Location }) {
  const rest = location.path.slice("/channels/".length);
  const name = location.path.startsWith("/channels/") && rest !== "" ? decodeURIComponent(rest) : undefined;
  return (
    <section>
      <div class="page-head">
        <h1>Channels</h1>
      </div>
      {name === undefined ? (
        <ChannelList session={session} />
      ) : (
        <>
          <nav aria-label="Breadcrumbs" class="breadcrumbs">
            <Link to="/channels">Channels</Link> / <span class="mono">{name}</span>
          </nav>
          <ChannelView key={name} session={session} name={name} />
        </>
      )}
    </section>
  );
}

function ChannelList({ session }: { session: Session }) {
  const channels = useLoad(() => session.client.admin.channels.list(), [session]);
  usePolling(channels.reload);
  return (
    <>
      <p class="muted">
        Channels with someone connected, on every node. Counts refresh every {POLL_MS / 1000} seconds.
      </p>
      <OpenChannelForm />
      {channels.state === "error" && <ErrorMessage error={channels.error} onRetry={channels.reload} />}
      {channels.data === undefined ? (
        channels.state === "loading" && <Loading label="Loading channels…" />
      ) : channels.data.length === 0 ? (
        <EmptyState title="No channel has members right now">
          <p>A channel appears here while someone is connected to it.</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Channels</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Users</th>
                <th scope="col">Connections</th>
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => (
                <tr key={c.channel} data-channel={c.channel}>
                  <th scope="row" class="mono">
                    <Link to={channelPath(c.channel)}>{c.channel}</Link>
                  </th>
                  <td data-testid="channel-users">{c.users}</td>
                  <td data-testid="channel-connections">{c.connections}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">
        Users counts signed-in users once each; connections counts every socket, signed-out listeners and
        admin consoles included.
      </p>
    </>
  );
}

/** Opens any channel by name, members or not: to send into it or watch it. */
function OpenChannelForm() {
  const [name, setName] = useState("");
  return (
    <form
      class="card inline-form"
      aria-label="Open a channel"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() !== "") navigate(channelPath(name.trim()));
      }}
    >
      <div class="field">
        <label for="open-channel">Channel name</label>
        <input
          id="open-channel"
          name="channel"
          class="mono"
          placeholder="chat:lobby"
          spellcheck={false}
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button">
        Open
      </button>
    </form>
  );
}
