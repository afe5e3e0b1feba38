// The form rules of SPEC §3, one source at a time (pure: no server needed).
import { describe, expect, it } from "vitest";
import { detectForm } from "./detectForm.js";

const detect = (source: string, loader: "ts" | "js" = "js") =>
  detectForm(source, loader, "functions/f/entry.js");

describe("detectForm", () => {
  it("export default in any spelling is the default form", async () => {
    for (const source of [
      "export default async function (event, context) {}",
      "export default (e) => e;",
      "function main() {}\nexport { main as default };",
      "export default class {}",
    ]) {
      expect(await detect(source), source).toEqual({ form: "default", append: "" });
    }
  });

  it("a top-level Deno.serve call is the deno form, awaited or assigned too", async () => {
    for (const source of [
      "Deno.serve((req) => new Response('hi'));",
      "await Deno.serve(async (req) => Response.json({}));",
      "const server = Deno.serve({ port: 8000 }, (req) => new Response('x'));",
    ]) {
      expect((await detect(source)).form, source).toBe("deno");
    }
    // Not at the top level: nothing registers a handler when the module loads.
    await expect(
      detect("function start() { Deno.serve(() => new Response('')); }\nexport { start as other };"),
    ).resolves.toMatchObject({
      form: "classic",
      handler: "start",
    });
  });

  it("an exported handler needs nothing; a top-level one gets exported", async () => {
    for (const source of [
      "export function handler(request, context) {}",
      "export const handler = async (request, context) => ({ allow: true });",
      "function run() {}\nexport { run as handler };",
    ]) {
      expect(await detect(source), source).toEqual({ form: "handler", handler: "handler", append: "" });
    }
    for (const source of ["function handler(request, context) {}", "const handler = (request) => 1;"]) {
      expect(await detect(source), source).toEqual({
        form: "handler",
        handler: "handler",
        append: "\nexport { handler };\n",
      });
    }
  });

  it("types are stripped before deciding", async () => {
    const source =
      "type Ctx = { event_type: string };\nfunction handler(request: Request, context: Ctx): { allow: boolean } {\n  return { allow: true };\n}\n";
    expect((await detect(source, "ts")).form).toBe("handler");
  });

  it("a classic script's handler is handle or main, else the only function nothing calls", async () => {
    expect(await detect("function a() {}\nfunction handle() {}\nfunction main() {}")).toEqual({
      form: "classic",
      handler: "handle",
      append: "\nexport default handle;\n",
    });
    expect(
      (await detect("function helper() {}\nfunction main() { helper(); }\nfunction other() {}")).handler,
    ).toBe("main");
    // Referenced as a value (a callback) counts as called; calling itself does not.
    expect((await detect("function each(u) {}\nfunction go() { [1].forEach(each); go; }")).handler).toBe(
      "go",
    );
    // A property of the same name is not a use of the function: both are still candidates.
    await expect(detect("function send() {}\nfunction run() { return backend.send; }")).rejects.toThrow(
      /send, run are top-level functions that nothing calls/,
    );
  });

  it("says how to name the handler when it cannot tell", async () => {
    await expect(detect("function a() { b(); }\nfunction b() { a(); }")).rejects.toThrow(
      "functions/f/entry.js: cannot tell which function is the handler: each of its top-level functions (a, b) is called by other code. " +
        "To fix it, export the handler (export default async function (event, context) { ... }), or name it handler, handle or main",
    );
    await expect(detect("module.exports = function (event) { return 1; };")).rejects.toThrow(
      /found no handler/,
    );
  });
});
