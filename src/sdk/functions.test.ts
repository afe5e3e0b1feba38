import { describe, expectTypeOf, it } from "vitest";
import { createClient } from "./index.js";

// An app declares its functions once (here for the test only: the name is unlike any real one).
declare module "./functions.js" {
  interface Functions {
    "typing-test/greet": { payload: { name: string }; result: { message: string } };
  }
}

describe("typed function calls", () => {
  const client = createClient({ url: "http://localhost:1" });

  it("a declared function's payload and result are typed, under both names of invoke", () => {
    // Types only: these calls are never awaited against a server.
    const call = () => client.functions.invoke("typing-test/greet", { name: "Ada" });
    expectTypeOf(call).returns.resolves.toEqualTypeOf<{ message: string }>();
    const alias = () => client.executeFunction("typing-test/greet", { name: "Ada" });
    expectTypeOf(alias).returns.resolves.toEqualTypeOf<{ message: string }>();
    // @ts-expect-error the payload must be { name: string }
    const wrong = () => client.functions.invoke("typing-test/greet", { nom: "Ada" });
    expectTypeOf(wrong).toBeFunction();
  });

  it("other functions take any payload and answer unknown, or the type named", () => {
    const untyped = () => client.functions.invoke("anything", { x: 1 });
    expectTypeOf(untyped).returns.resolves.toBeUnknown();
    const named = () => client.functions.invoke<{ total: number }>("quote", [1, 2]);
    expectTypeOf(named).returns.resolves.toEqualTypeOf<{ total: number }>();
  });
});
