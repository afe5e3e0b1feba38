import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors.js";
import { parseExpression } from "./parseExpression.js";

function errorOf(text: string): ValidationError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe("parseExpression", () => {
  it.each([
    "0 9 * * *",
    "*/5 * * * * *",
    "0 9 * * MON-FRI",
    "0 0 1,15 JAN,JUL *",
    "0 12 L * *",
    "0 9 15W * *",
    "0 9 * * 1#2",
    "0 17 * * 5L",
    "0 0 29 2 *",
    "30 8-18/2 * * 1-5",
    "0 12 1 * +MON",
  ])("returns the cron %j as written", (cron) => {
    expect(parseExpression(cron)).toEqual({ cron, phrase: false });
  });

  it("tidies the spaces of a cron and nothing else", () => {
    expect(parseExpression("  0  9 * *   mon ")).toEqual({ cron: "0 9 * * mon", phrase: false });
  });

  it("turns croner nicknames into their cron", () => {
    expect(parseExpression("@daily")).toEqual({ cron: "0 0 * * *", phrase: false });
    expect(parseExpression("@HOURLY")).toEqual({ cron: "0 * * * *", phrase: false });
    expect(parseExpression("@weekly")).toEqual({ cron: "0 0 * * 0", phrase: false });
    expect(parseExpression("@monthly")).toEqual({ cron: "0 0 1 * *", phrase: false });
    expect(parseExpression("@yearly")).toEqual({ cron: "0 0 1 1 *", phrase: false });
    expect(errorOf("@reboot").message).toMatch(/"@reboot" is not a schedule: the cron nicknames are @yearly/);
  });

  it("turns a phrase into its cron", () => {
    expect(parseExpression("Weekdays at 08:00")).toEqual({ cron: "0 8 * * 1-5", phrase: true });
  });

  it.each([
    ["60 * * * *", /"60 \* \* \* \*" is not a valid cron expression: Invalid value for minute: 60/],
    ["0 25 * * *", /not a valid cron expression: Invalid value for hour: 25/],
    ["*/0 * * * *", /not a valid cron expression: .*illegal stepping/],
    ["0 9 * * MONDAY", /not a valid cron expression: .*MONDAY/],
    ["0 9 * * 1#6", /not a valid cron expression: nth weekday out of range/],
    ["* * * *", /not a valid cron expression: it has 4 fields, a cron expression has 5 \(or 6/],
    ["0 0 0 1 1 * 2030", /it has 7 fields/],
  ])("refuses the cron %j with croner's reason", (cron, reason) => {
    expect(errorOf(cron).message).toMatch(reason);
  });

  it("refuses a cron that never runs", () => {
    expect(errorOf("0 0 30 2 *").message).toBe('"0 0 30 2 *" never runs: no date matches it');
    expect(errorOf("0 0 31 4,6,9,11 *").message).toMatch(/never runs/);
  });

  it("answers anything else with a cron example and the accepted phrases", () => {
    const error = errorOf("evry day");
    expect(error.message).toMatch(
      /^"evry day" is not a schedule: write a cron expression \("0 9 \* \* \*", 5 or 6 fields\) or a phrase such as "every 30 seconds", "every minute", "every 15 minutes", /,
    );
    expect(error.details).toEqual({ accepted: expect.arrayContaining(["daily at 9 AM"]) });
    expect(errorOf("9am daily").message).toMatch(/is not a schedule: write a cron expression/);
    expect(errorOf("").message).toMatch(/^"" is not a schedule/);
  });
});
