// JSON given on the command line (event data, a subscription filter): parsed here so that a typo
// is reported with the option's name and an example, before anything is sent to the server.
import { CliError } from "../apiClient.js";

/** `what` names the argument in the message ("--filter", "the data"); `example` shows valid JSON. */
export function parseJsonArgument(text: string, what: string, example: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON (${(error as Error).message}); e.g. ${example}`);
  }
}
