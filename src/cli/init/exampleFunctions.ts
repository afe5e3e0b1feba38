// The example functions of a new project, one per form a function can take (SPEC §3): a default
// export, a classic script (seed 000) and a `Deno.serve` function (seed 001). They are what a new
// user reads first, so their comments say how to call them; the tests deploy and run every one.

export interface ExampleFunction {
  name: string;
  /** The entry, relative to the project root. */
  entryFile: string;
  /** Every file of the example, relative to the project root. */
  files: Record<string, string>;
}

const hello = `// The main form: the default export gets the payload (\`event\`) and a context, and what it
// returns is the result. It is public (see function.jsonc), so you can call it right away:
//   curl http://127.0.0.1:8787/api/functions/hello/invoke -H 'content-type: application/json' -d '{"name":"Ada"}'
// \`Payload\` and \`Result\` are read by \`backend types generate\`, so calls from your app are typed.
export interface Payload {
  name?: string;
}

export interface Result {
  message: string;
}

export default async function (event: Payload, context: BackendContext): Promise<Result> {
  console.log(\`hello was called (\${context.trigger})\`);
  return { message: \`Hello, \${event.name ?? "world"}!\` };
}
`;

const helloConfig = `// Settings of this function; every field is optional. See docs/functions.md.
{
  // public: anyone; user (the default): signed-in users; admin: only the admin key.
  "access": "public",
}
`;

const trialReminder = `// A classic script, as in the functions & messages docs: its top-level function is the handler
// and \`backend\` is a global. Try it now: backend functions invoke trial-reminder
// Its schedule is declared below; see it with: backend schedules list (docs/schedules.md).
export const config = { triggers: { schedules: ["daily at 9 AM"] } };

// This function runs every day at 9 AM
function handleTrialExpiration() {
  // Find users whose trial expires today
  const users = backend.query("users", {
    trialEndsAt: { $lte: new Date() },
    isPaid: false,
  });

  // Send reminder emails
  users.forEach((user) => {
    backend.sendEmail(user.email, "Your trial is ending");
  });

  return { reminded: users.length };
}
`;

const greet = `// A Deno.serve function, as in Base44: a Web Request in, a Response out. The client of
// createClientFromRequest(req) acts as the caller: auth.me() is the signed-in user (null for
// anonymous calls and the admin key); client.asServiceRole acts with full rights.
// Try it: backend functions invoke greet -d '{"name":"Ada"}'
import { createClientFromRequest } from "backend";

Deno.serve(async (req) => {
  try {
    const client = createClientFromRequest(req);
    const user = await client.auth.me();
    const { name } = (await req.json().catch(() => ({}))) as { name?: string };
    return Response.json({ message: \`Hello, \${name || user?.full_name || "stranger"}!\` });
  } catch (error) {
    return Response.json({ error: (error as Error).message }, { status: 500 });
  }
});
`;

export function exampleFunctions(functionsDir: string): ExampleFunction[] {
  const at = (file: string) => `${functionsDir}/${file}`;
  return [
    {
      name: "hello",
      entryFile: at("hello/entry.ts"),
      files: { [at("hello/entry.ts")]: hello, [at("hello/function.jsonc")]: helloConfig },
    },
    {
      name: "trial-reminder",
      entryFile: at("trial-reminder.js"),
      files: { [at("trial-reminder.js")]: trialReminder },
    },
    { name: "greet", entryFile: at("greet/entry.ts"), files: { [at("greet/entry.ts")]: greet } },
  ];
}
