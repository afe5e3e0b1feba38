// `backend channels list|members|send`: the channels that have members across all nodes, who is in
// one, and a message from the server into one (members see `user: null`; --event also fires chan_in).
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "./apiClient.js";
import { parseJsonArgument } from "./events/jsonArgument.js";

interface TargetFlags {
  url?: string;
  adminKey?: string;
}

interface ChannelItem {
  channel: string;
  connections: number;
  users: number;
}

export function channelsCommand(): Command {
  const channels = new Command("channels").description(
    "realtime channels: who is connected, and send messages",
  );

  channels.addCommand(
    withTarget(new Command("list").description("channels with connected members, across all nodes"))
      .option("--json", "print JSON")
      .action(async (flags: TargetFlags & { json?: boolean }) => {
        const { items } = await callApi<{ items: ChannelItem[] }>(targetFrom(flags), {
          method: "GET",
          path: "/api/channels",
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write("No channel has members right now.\n");
          return;
        }
        const width = Math.max(7, ...items.map((c) => c.channel.length));
        const rows = [
          `${"CHANNEL".padEnd(width)}  CONNECTIONS  USERS`,
          ...items.map((c) => `${c.channel.padEnd(width)}  ${String(c.connections).padEnd(11)}  ${c.users}`),
        ];
        process.stdout.write(`${rows.join("\n")}\n`);
      }),
  );

  channels.addCommand(
    withTarget(
      new Command("members").description("the signed-in users connected to a channel").argument("<channel>"),
    )
      .option("--json", "print JSON")
      .action(async (channel: string, flags: TargetFlags & { json?: boolean }) => {
        const { items } = await callApi<{ items: { id: string; email: string }[] }>(targetFrom(flags), {
          method: "GET",
          path: `/api/channels/${encodeURIComponent(channel)}/members`,
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write(`Nobody signed in is in ${channel}.\n`);
          return;
        }
        process.stdout.write(`${items.map((m) => `${m.email}  ${m.id}`).join("\n")}\n`);
      }),
  );

  channels.addCommand(
    withTarget(
      new Command("send")
        .description("send a message to a channel's members, as the server")
        .argument("<channel>")
        .argument("<message>", 'JSON, e.g. \'{"headline":"We are live"}\' (plain text is sent as a string)'),
    )
      .option("--event", "also fire chan_in (POST_CHANNEL_MESSAGE)")
      .option("--json", "print the sent message as JSON")
      .action(
        async (channel: string, text: string, flags: TargetFlags & { event?: boolean; json?: boolean }) => {
          const message = /^\s*[[{"]/.test(text)
            ? parseJsonArgument(text, "the message", '\'{"headline":"We are live"}\'')
            : text;
          const sent = await callApi<{ id: string; channel: string }>(targetFrom(flags), {
            method: "POST",
            path: `/api/channels/${encodeURIComponent(channel)}/messages`,
            body: { message, event: flags.event === true },
          });
          if (flags.json) process.stdout.write(`${JSON.stringify(sent, null, 2)}\n`);
          else process.stdout.write(`Sent ${sent.id} to ${sent.channel}\n`);
        },
      ),
  );

  return channels;
}
