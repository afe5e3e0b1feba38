// The compiled channel rules of a config, made once per config object.
import type { Config } from "../config/config.js";
import { heldFor } from "../core/memo.js";
import { ChannelRules } from "./channelRules.js";

const compiled = new WeakMap<Config, ChannelRules>();

export function rulesOf(config: Config): ChannelRules {
  return heldFor(compiled, config, () => new ChannelRules(config.channels.rules));
}
