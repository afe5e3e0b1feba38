// Channel rules (config `channels.rules`): the first rule whose pattern matches a channel's name says
// who may join it, who may send into it and whether its members may see each other. `*` matches any
// run of characters; `{user.id}` matches any run too, but admits only the user whose id it is (and
// admins), so `inbox:{user.id}` gives every user a private channel of their own.
import { isAdmin, type Principal } from "../auth/principal.js";
import type { Config } from "../config/config.js";

export type JoinRule = "public" | "users" | "private";
export type SendRule = "members" | "admin";

export interface ChannelRule {
  pattern: string;
  join: JoinRule;
  send: SendRule;
  presence: boolean;
}

/** What applies to a channel no rule names: signed-in users join and send; no presence. */
export const DEFAULT_RULE: ChannelRule = { pattern: "*", join: "users", send: "members", presence: false };

const USER_ID = "{user.id}";

interface CompiledRule {
  rule: ChannelRule;
  regex: RegExp;
  /** The capture group indexes that hold `{user.id}`. */
  userGroups: number[];
}

export interface ChannelPolicy {
  rule: ChannelRule;
  /** Undefined when the rule has no `{user.id}`; otherwise whether the caller is the user it names. */
  ownChannel: boolean | undefined;
}

export class ChannelRules {
  private readonly compiled: CompiledRule[];

  constructor(rules: Config["channels"]["rules"]) {
    this.compiled = rules.map(compile);
  }

  /** The rule for `channel`, and whether its `{user.id}` (if any) is the caller. */
  policyFor(channel: string, principal: Principal): ChannelPolicy {
    for (const entry of this.compiled) {
      const match = entry.regex.exec(channel);
      if (!match) continue;
      if (entry.userGroups.length === 0) return { rule: entry.rule, ownChannel: undefined };
      const id = principal.kind === "user" ? principal.user.id : undefined;
      const own = isAdmin(principal) || entry.userGroups.every((g) => match[g] === id);
      return { rule: entry.rule, ownChannel: own };
    }
    return { rule: DEFAULT_RULE, ownChannel: undefined };
  }
}

function compile(rule: ChannelRule): CompiledRule {
  let source = "";
  const userGroups: number[] = [];
  let group = 0;
  for (const part of rule.pattern.split(/(\*|\{user\.id\})/)) {
    if (part === "*") {
      source += "(.*)";
      group++;
    } else if (part === USER_ID) {
      source += "([^:/.@]+)";
      group++;
      userGroups.push(group);
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return { rule, regex: new RegExp(`^${source}$`), userGroups };
}
