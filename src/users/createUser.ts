// Creating a user, for sign-up (src/auth/register.ts) and for admins. One path, one event pair:
// PRE_USER_CREATE may rewrite or refuse the fields, POST_USER_CREATE follows the commit.
import type { Transaction } from "kysely";
import { hashPassword } from "../auth/password.js";
import { type Principal, requireAdmin } from "../auth/principal.js";
import { ConflictError, ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import type { ActionContext, EventData, Trace } from "../events/pipeline.js";
import type { Schema } from "../storage/schema.js";
import { writeJson } from "../storage/store.js";
import { findUserByEmail, isUniqueViolation } from "./findUser.js";
import { buildUserDocument, type UserDocument } from "./userDocument.js";
import { passwordSchema } from "./userFields.js";
import { parseNewUser, parseWith } from "./userInput.js";

export type UserDeps = Pick<Deps, "db" | "clock" | "config" | "dialect" | "pipeline">;

export interface CreateUserSpec<R> {
  ctx: ActionContext;
  /** The PRE_USER_CREATE input: `{ email, full_name, role?, ...extra }`. */
  fields: Record<string, unknown>;
  /** Already validated against passwordSchema. */
  password: string;
  /** More work in the same transaction, e.g. sign-up opens the first session. */
  alsoWrite?: (trx: Transaction<Schema>, user: UserDocument) => Promise<R>;
}

export async function runCreateUser<R = undefined>(
  deps: UserDeps,
  spec: CreateUserSpec<R>,
): Promise<{ user: UserDocument; also: R }> {
  // Validate before PRE handlers run (clear 400s for callers), and again after they rewrote it.
  const initial = parseNewUser(spec.fields);
  const input: EventData = { email: initial.email, full_name: initial.full_name, ...initial.extra };
  if (spec.fields.role !== undefined) input.role = initial.role;
  // Hashing is slow on purpose: do it before the transaction holds a connection.
  const passwordHash = await hashPassword(spec.password);

  return deps.pipeline.run({
    ctx: spec.ctx,
    input,
    pre: "PRE_USER_CREATE",
    write: async (trx, data) => {
      const fields = parseNewUser(data);
      if (await findUserByEmail(trx, fields.email)) throw duplicate();
      const now = deps.clock.now().toISOString();
      const base = {
        id: newId(),
        email: fields.email,
        role: fields.role,
        full_name: fields.full_name,
        createdAt: now,
        updatedAt: now,
      };
      const user = buildUserDocument(base, fields.extra);
      try {
        await trx
          .insertInto("users")
          .values({
            id: user.id,
            email: user.email,
            role: user.role,
            password_hash: passwordHash,
            data: writeJson(user),
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (error) {
        // Two sign-ups with one email at the same moment: the unique index decides.
        if (isUniqueViolation(error)) throw duplicate();
        throw error;
      }
      const also = spec.alsoWrite ? await spec.alsoWrite(trx, user) : (undefined as R);
      return { user, also };
    },
    post: {
      type: "POST_USER_CREATE",
      data: ({ user }) => ({ user_id: user.id, email: user.email, user }),
    },
  });
}

function duplicate(): ConflictError {
  return new ConflictError("A user with this email already exists");
}

/** Admin create: `{ email, password, full_name?, role?, ...extra }`. */
export async function createUser(
  deps: UserDeps,
  principal: Principal,
  input: unknown,
  trace: Trace = {},
): Promise<UserDocument> {
  requireAdmin(principal);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError("The user must be a JSON object");
  }
  const { password, ...fields } = input as Record<string, unknown>;
  const { user } = await runCreateUser(deps, {
    ctx: { principal, ...trace },
    fields,
    password: parseWith(passwordSchema, password, "password"),
  });
  return user;
}
