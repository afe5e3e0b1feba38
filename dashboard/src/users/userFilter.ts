// The users filter the page's search fields make, in the API's filter language: an email prefix
// (emails are stored lower-cased) as a range, so "ada" finds ada@example.com and adam@example.com,
// and a role.
import type { Filter, Role, User } from "../../../src/sdk/index.js";

export function userFilter(emailPrefix: string, role: Role | undefined): Filter<User> {
  const filter: Filter<User> = {};
  const prefix = emailPrefix.trim().toLowerCase();
  if (prefix !== "") {
    const last = prefix.charCodeAt(prefix.length - 1);
    // The first string after every string that starts with the prefix.
    const after = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    filter.email = { $gte: prefix, $lt: after };
  }
  if (role) filter.role = role;
  return filter;
}
