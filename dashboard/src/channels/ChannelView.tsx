// One channel: its connected members (refreshed every few seconds) and the message console.
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { MessageConsole } from "./MessageConsole.js";
import { usePolling } from "../ui/usePolling.js";

export function ChannelView({ session, name }: { session: Session; name: string }) {
  const members = useLoad(() => session.client.admin.channels.members(name), [session, name]);
  usePolling(members.reload);
  return (
    <>
      <h2 class="mono channel-title">{name}</h2>
      <div class="channel-grid">
        <div class="card panel">
          <h3 class="panel-title">Members</h3>
          <p class="muted">Signed-in users connected to this channel, on every node.</p>
          {members.state === "error" && <ErrorMessage error={members.error} onRetry={members.reload} />}
          {members.data === undefined ? (
            members.state === "loading" && <Loading label="Loading members…" />
          ) : members.data.length === 0 ? (
            <EmptyState title="Nobody signed in is connected" />
          ) : (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Members of {name}</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Node</th>
                    <th scope="col">Joined</th>
                    <th scope="col">Sockets</th>
                  </tr>
                </thead>
                <tbody>
                  {members.data.map((m) => (
                    <tr key={m.id} data-member={m.email}>
                      <th scope="row">
                        {m.email}
                        <div class="muted mono member-id">{m.id}</div>
                      </th>
                      <td class="mono node-ids">{m.nodes?.join(", ") ?? "—"}</td>
                      <td class="nowrap" title={m.joinedAt}>
                        {formatTime(m.joinedAt)}
                      </td>
                      <td>{m.connections ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <MessageConsole session={session} name={name} />
      </div>
    </>
  );
}
