// `backend events publish <type> [data] [--data-file F] [--json]`: publishes a custom event as the
// admin, so every active subscription of that type gets a delivery. The data is JSON, from the
// argument or a file (`-` for stdin); system types (POST_USER_CREATE...) fire only from real actions.
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson } from "../functions/output.js";
import { parseJsonArgument } from "./jsonArgument.js";
import type { PublishedEvent } from "./shapes.js";

interface PublishFlags {
  dataFile?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function publishCommand(): Command {
  return withTarget(
    new Command("publish")
      .description("publish a custom event to its subscribers")
      .argument("<type>", "the event type, e.g. order_placed")
      .argument("[data]", `the event data, as JSON, e.g. '{"orderId":123}'`)
      .option("--data-file <file>", "read the data (JSON) from a file; - reads stdin")
      .option("--json", "print JSON"),
  ).action(async (type: string, data: string | undefined, flags: PublishFlags) => {
    const body: { type: string; data?: unknown } = { type };
    const text = await dataText(data, flags.dataFile);
    if (text !== undefined) body.data = parseJsonArgument(text, "The data", `'{"orderId":123}'`);
    const answer = await callApi<PublishedEvent>(targetFrom(flags), {
      method: "POST",
      path: "/api/events",
      body,
    });
    if (flags.json) return printJson(answer);
    const count = `${answer.deliveries} ${answer.deliveries === 1 ? "delivery" : "deliveries"}`;
    process.stdout.write(`Published ${answer.type} event ${answer.id} (${count})\n`);
    if (answer.deliveries === 0) {
      process.stderr.write(
        `Nothing subscribes to ${answer.type}. Subscribe a function with: backend events subscribe ${answer.type} <function>\n`,
      );
    }
  });
}

async function dataText(data: string | undefined, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return data;
  if (data !== undefined) throw new CliError("Give the data as an argument or with --data-file, not both");
  try {
    return file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read --data-file ${file}: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
