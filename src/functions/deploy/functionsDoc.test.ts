// The examples in docs/functions.md are deployable as shown: each one marked with its form deploys
// and is detected as that form, on both stores.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";

const page = readFileSync(new URL("../../../docs/functions.md", import.meta.url), "utf8");
const examples = [...page.matchAll(/```(ts|js) form=(\w+)\n([\s\S]*?)\n```/g)].map((m) => ({
  file: `entry.${m[1]}`,
  form: m[2]!,
  source: m[3]!,
}));

forEachStore((store) => {
  describe("docs/functions.md", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
    });
    afterAll(async () => server?.close());

    it("has the examples this test expects, one of each form at least", () => {
      expect(new Set(examples.map((e) => e.form))).toEqual(
        new Set(["default", "classic", "deno", "handler"]),
      );
    });

    examples.forEach(({ file, form, source }, i) => {
      it(`example ${i + 1} deploys as the '${form}' form`, async () => {
        const res = await server.api("PUT", `/api/functions/doc-example-${i + 1}`, {
          token: server.adminKey,
          body: { files: { [file]: source } },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.form).toBe(form);
      });
    });

    it("the multi-file example deploys", async () => {
      const body = JSON.parse(/```json\n(\{\n {2}"files"[\s\S]*?)\n```/.exec(page)![1]!);
      const res = await server.api("PUT", "/api/functions/doc-multi", { token: server.adminKey, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    });
  });
});
