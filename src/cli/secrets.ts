// PLACEHOLDER: to be written.
import { Command } from "commander";

export function secretsCommand(): Command {
  return new Command("secrets").description("manage secrets");
}
