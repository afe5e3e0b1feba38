// PLACEHOLDER: to be written.
import { Command } from "commander";

export function functionsCommand(): Command {
  return new Command("functions").description("manage functions");
}
