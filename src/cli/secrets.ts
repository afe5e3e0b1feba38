// `backend secrets set|list|delete`: the secrets functions read as `env.NAME`. A value comes from
// the argument or from stdin (hidden when typed at a terminal) and is never printed.
import { Command } from "commander";
import { type ApiTarget, CliError, callApi, send, targetFrom, withTarget } from "./apiClient.js";

interface TargetFlags {
  url?: string;
  adminKey?: string;
}

interface SecretItem {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export function secretsCommand(): Command {
  const secrets = new Command("secrets").description(
    "manage secrets (encrypted at rest; functions read env.NAME)",
  );

  secrets.addCommand(
    withTarget(
      new Command("set")
        .description("set a secret; without [value], reads it from stdin (hidden at a terminal)")
        .argument("<name>", "letters, digits and _, e.g. STRIPE_API_KEY")
        .argument("[value]", "the value (visible in your shell history; prefer stdin)"),
    ).action(async (name: string, value: string | undefined, flags: TargetFlags) => {
      const secret = value ?? (await readValue(name));
      const answer = await callApi<SecretItem & { created: boolean }>(targetFrom(flags), {
        method: "PUT",
        path: `/api/secrets/${encodeURIComponent(name)}`,
        body: { value: secret },
      });
      process.stdout.write(`Secret ${answer.name} ${answer.created ? "created" : "updated"}\n`);
    }),
  );

  secrets.addCommand(
    withTarget(new Command("list").description("list the secrets' names (never their values)"))
      .option("--json", "print JSON")
      .action(async (flags: TargetFlags & { json?: boolean }) => {
        const { items } = await callApi<{ items: SecretItem[] }>(targetFrom(flags), {
          method: "GET",
          path: "/api/secrets",
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write("No secrets. Set one with: backend secrets set NAME\n");
          return;
        }
        const width = Math.max(4, ...items.map((s) => s.name.length));
        const rows = [
          `${"NAME".padEnd(width)}  UPDATED`,
          ...items.map((s) => `${s.name.padEnd(width)}  ${s.updatedAt}`),
        ];
        process.stdout.write(`${rows.join("\n")}\n`);
      }),
  );

  secrets.addCommand(
    withTarget(
      new Command("delete").description("delete secrets").argument("<names...>", "one or more secret names"),
    ).action(async (names: string[], flags: TargetFlags) => {
      const target = targetFrom(flags);
      const missing: string[] = [];
      for (const name of names) {
        if (await deleteOne(target, name)) process.stdout.write(`Deleted ${name}\n`);
        else missing.push(name);
      }
      if (missing.length > 0) throw new CliError(`No secret named ${missing.join(", ")}`);
    }),
  );

  return secrets;
}

/** True when deleted, false when there was no such secret; other failures throw. */
async function deleteOne(target: ApiTarget, name: string): Promise<boolean> {
  const path = `/api/secrets/${encodeURIComponent(name)}`;
  const response = await send(target, { method: "DELETE", path });
  if (response.status === 404) return false;
  if (!response.ok) await callApi(target, { method: "DELETE", path });
  return true;
}

async function readValue(name: string): Promise<string> {
  const value = process.stdin.isTTY ? await readHidden(`Value for ${name} (hidden): `) : await readStdin();
  if (value === "") throw new CliError(`No value for ${name}: pass it as an argument or on stdin`);
  return value;
}

/** All of stdin, without the one newline that `echo` or a file adds at the end. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Reads a line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("Cancelled", 130));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
