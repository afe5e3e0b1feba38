import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors.js";
import { parseExpression } from "./parseExpression.js";
import { ACCEPTED_PHRASES, phraseToCron } from "./phrases.js";
import { nextRuns } from "./recurrence.js";

// Each phrase, the cron it becomes, and the same schedule written another way by hand (names,
// seconds, lists) for the differential test, which compares run times rather than strings.
const PHRASES: [phrase: string, cron: string, equivalent: string][] = [
  ["every minute", "* * * * *", "0 * * * * *"],
  ["every 15 minutes", "*/15 * * * *", "0 0,15,30,45 * * * *"],
  ["every 45 minutes", "*/45 * * * *", "0,45 * * * *"],
  ["every 1 minute", "* * * * *", "0-59 * * * *"],
  ["every 5 seconds", "*/5 * * * * *", "0-59/5 * * * * *"],
  ["every second", "* * * * * *", "0-59 * * * * *"],
  ["every 30 seconds", "*/30 * * * * *", "0,30 * * * * *"],
  ["every hour", "0 * * * *", "0 0 */1 * * *"],
  ["hourly", "0 * * * *", "0 0-23 * * *"],
  ["every 2 hours", "0 */2 * * *", "0 0,2,4,6,8,10,12,14,16,18,20,22 * * *"],
  ["every 23 hours", "0 */23 * * *", "0 0,23 * * *"],
  ["daily at 9 AM", "0 9 * * *", "0 0 9 * * *"],
  ["every day at 21:30", "30 21 * * *", "0 30 21 * * ?"],
  ["daily", "0 0 * * *", "@daily"],
  ["every day", "0 0 * * *", "@midnight"],
  ["daily at 9:30 pm", "30 21 * * *", "30 21 */1 * *"],
  ["daily at 9am", "0 9 * * *", "0 9 1-31 * *"],
  ["daily 9am", "0 9 * * *", "0 9 * * 0-6"],
  ["daily at 08:00", "0 8 * * *", "0 8 * 1-12 *"],
  ["daily at noon", "0 12 * * *", "0 0 12 * * *"],
  ["daily at midnight", "0 0 * * *", "0 0 0 * * *"],
  ["daily at 12 AM", "0 0 * * *", "0 0 0 * * *"],
  ["daily at 12 PM", "0 12 * * *", "0 12 * * *"],
  ["daily at 12:30 am", "30 0 * * *", "0 30 0 * * *"],
  ["daily at 9 a.m.", "0 9 * * *", "0 9 * * *"],
  ["daily at 09:00:30", "30 0 9 * * *", "30 0 9 ? * *"],
  ["every Monday at 8 AM", "0 8 * * 1", "0 8 * * MON"],
  ["every Monday and Thursday at 8 AM", "0 8 * * 1,4", "0 8 * * MON,THU"],
  ["every Monday, Wednesday and Friday at 7:45", "45 7 * * 1,3,5", "45 7 * * 1-5/2"],
  ["every Sunday", "0 0 * * 0", "0 0 * * 7"],
  ["on Mondays at 8:15", "15 8 * * 1", "15 8 * * mon"],
  ["on Sat and Sun at 10 AM", "0 10 * * 0,6", "0 10 * * SAT,SUN"],
  ["every tues and thurs at 18:00", "0 18 * * 2,4", "0 18 * * TUE,THU"],
  ["weekdays at 08:00", "0 8 * * 1-5", "0 8 * * MON-FRI"],
  ["every weekday at 8 AM", "0 8 * * 1-5", "0 8 * * 1,2,3,4,5"],
  ["on weekdays at 5:30 PM", "30 17 * * 1-5", "30 17 * * MON-FRI"],
  ["weekends at noon", "0 12 * * 0,6", "0 12 * * SAT,SUN"],
  ["every weekend at 10:00", "0 10 * * 0,6", "0 10 * * 6,7"],
  ["first Monday of each month at 9 AM", "0 9 * * 1#1", "0 9 * * MON#1"],
  ["second Tuesday of the month at 10:00", "0 10 * * 2#2", "0 10 * * TUE#2"],
  ["third Wednesday of every month at 9 AM", "0 9 * * 3#3", "0 9 * * WED#3"],
  ["fourth Thursday of the month at 9 AM", "0 9 * * 4#4", "0 9 * * THU#4"],
  ["fifth Friday of the month at 9 AM", "0 9 * * 5#5", "0 9 * * FRI#5"],
  ["on the 2nd Sunday of the month at noon", "0 12 * * 0#2", "0 12 * * SUN#2"],
  ["last Friday of the month at 5 PM", "0 17 * * 5L", "0 17 * * FRI#L"],
  ["last day of the month at 17:30", "30 17 L * *", "0 30 17 L * *"],
  ["on the last day of every month", "0 0 L * *", "0 0 L * *"],
  ["on the 15th of every month at 9:00", "0 9 15 * *", "0 0 9 15 * *"],
  ["on the 1st day of the month at 6 AM", "0 6 1 * *", "0 6 1 * *"],
  ["the 31st of each month at 23:59", "59 23 31 * *", "59 23 31 1,3,5,7,8,10,12 *"],
  ["monthly", "0 0 1 * *", "@monthly"],
  ["every month at 9 AM", "0 9 1 * *", "0 9 1 * *"],
  ["weekly", "0 0 * * 0", "@weekly"],
  ["weekly at 9 AM", "0 9 * * 0", "0 9 * * SUN"],
];

describe("phraseToCron", () => {
  it.each(PHRASES)("turns %j into %j", (phrase, cron) => {
    expect(phraseToCron(phrase)).toBe(cron);
  });

  it("ignores case and extra spaces", () => {
    expect(phraseToCron("  EVERY   monday AND thursday   At 8 am ")).toBe("0 8 * * 1,4");
    expect(phraseToCron("First MONDAY of the Month at 9 Am")).toBe("0 9 * * 1#1");
    expect(phraseToCron("every Monday , Thursday at 8 AM")).toBe("0 8 * * 1,4");
  });

  it("accepts every example it gives", () => {
    for (const phrase of ACCEPTED_PHRASES) expect(phraseToCron(phrase), phrase).toBeDefined();
  });

  it.each([
    "daily at 25:00",
    "daily at 13 PM",
    "daily at 0 AM",
    "daily at 9", // AM or PM?
    "daily at 9:60",
    "daily at 9:00:60",
    "every 0 minutes",
    "every 60 minutes",
    "every 61 minutes",
    "every 60 seconds",
    "every 0 hours",
    "every 24 hours",
    "every 2 days",
    "evry day",
    "every funday at 9 AM",
    "every Monday at",
    "sixth Monday of the month",
    "on the 32nd of every month",
    "on the 0th of every month",
    "last day of the year",
    "tomorrow at 9",
    "",
  ])("refuses %j", (phrase) => {
    expect(phraseToCron(phrase)).toBeUndefined();
  });

  it("refuses nonsense with an error that lists the accepted forms", () => {
    let error: unknown;
    try {
      parseExpression("every 61 minutes");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as ValidationError).message;
    expect(message).toMatch(/^"every 61 minutes" is not a schedule: write a cron expression/);
    for (const phrase of ACCEPTED_PHRASES) expect(message).toContain(`"${phrase}"`);
  });
});

const STARTS = [
  "2026-01-01T00:00:00Z",
  "2026-03-07T12:00:00Z",
  "2026-10-31T12:00:00Z",
  "2027-02-27T23:59:59Z",
];
const TIME_ZONES = ["UTC", "America/New_York", "Asia/Kolkata"];

describe("phrases run when their hand-written cron runs", () => {
  it.each(PHRASES)("%j", (phrase, _cron, equivalent) => {
    const { cron } = parseExpression(phrase);
    for (const timezone of TIME_ZONES) {
      const expected = new Cron(equivalent, { timezone });
      for (const start of STARTS) {
        const ours = nextRuns({ kind: "cron", cron, timezone }, new Date(start), 12).map(iso);
        expect(ours, `${timezone} from ${start}`).toEqual(expected.nextRuns(12, new Date(start)).map(iso));
        expect(ours).toHaveLength(12);
      }
    }
  });
});

function iso(date: Date): string {
  return date.toISOString();
}
