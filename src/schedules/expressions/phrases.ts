// Our English schedule phrases ("every 15 minutes", "daily at 9 AM", "first Monday of the month at
// 9 AM"), turned into croner patterns. A small fixed grammar rather than a natural-language parser,
// so that everything it accepts can be listed (ACCEPTED_PHRASES), documented and tested.
//
// Rules of the grammar: case and extra spaces don't matter; "at" before a time is optional; a phrase
// that names days but no time runs at midnight ("daily" = "daily at midnight"); a time is "9 AM",
// "9am", "9:30 pm", "21:30", "08:00", "09:00:30", "noon" or "midnight", and a bare "9" is refused
// (AM or PM?).

/** One example of each accepted form, for error messages and docs. */
export const ACCEPTED_PHRASES: readonly string[] = [
  "every 30 seconds",
  "every minute",
  "every 15 minutes",
  "hourly",
  "every 2 hours",
  "daily at 9 AM",
  "every day at 21:30",
  "weekdays at 08:00",
  "weekends at noon",
  "every Monday and Thursday at 8 AM",
  "on Mondays at 8:15",
  "first Monday of the month at 9 AM",
  "last Friday of the month at 5 PM",
  "last day of the month at 17:30",
  "on the 15th of every month at 9:00",
  "weekly",
  "monthly",
];

/** The croner pattern (5 fields, or 6 when seconds matter) of a phrase, or undefined if it isn't one. */
export function phraseToCron(text: string): string | undefined {
  const phrase = normalize(text);
  for (const [pattern, build] of RULES) {
    const match = pattern.exec(phrase);
    const cron = match ? build(match) : undefined;
    if (cron !== undefined) return cron;
  }
  return undefined;
}

type Rule = [RegExp, (match: RegExpExecArray) => string | undefined];

// Optional trailing time; its text is checked by parseTime, so "at 25:00" matches here and is refused there.
const TIME = String.raw`(?: (?:at )?(noon|midnight|\d{1,2}(?::\d{2}){0,2}(?: ?[ap]m)?))?`;
const OF_MONTH = "of (?:each|every|the) month";
const DAY_LIST = "[a-z]+(?:(?:, and |, | and )[a-z]+)*";
const ORDINALS: Record<string, string> = {
  first: "#1",
  "1st": "#1",
  second: "#2",
  "2nd": "#2",
  third: "#3",
  "3rd": "#3",
  fourth: "#4",
  "4th": "#4",
  fifth: "#5",
  "5th": "#5",
  last: "L",
};

function rule(source: string, build: Rule[1]): Rule {
  return [new RegExp(`^(?:${source})$`), build];
}

// The first rule that matches and accepts its parts wins. Order matters where forms overlap: "every
// day" and "every weekday" come before "every <weekday>".
const RULES: Rule[] = [
  rule("every (second|minute)", ([, unit]) => (unit === "second" ? "* * * * * *" : "* * * * *")),
  rule(String.raw`every (\d{1,4}) (seconds?|minutes?|hours?)`, ([, n, unit]) => step(Number(n), unit!)),
  rule("hourly|every hour", () => "0 * * * *"),
  rule(`(?:daily|every day)${TIME}`, ([, time]) => at(time, "*", "*")),
  rule(`(?:every weekday|(?:on )?weekdays)${TIME}`, ([, time]) => at(time, "*", "1-5")),
  rule(`(?:every weekend|(?:on )?weekends)${TIME}`, ([, time]) => at(time, "*", "0,6")),
  rule(`(?:weekly|every week)${TIME}`, ([, time]) => at(time, "*", "0")),
  rule(`(?:monthly|every month)${TIME}`, ([, time]) => at(time, "1", "*")),
  rule(`(?:every|on) (${DAY_LIST})${TIME}`, ([, days, time]) => {
    const numbers = days!.split(/, and |, | and /).map(weekdayNumber);
    if (numbers.some((n) => n === undefined)) return undefined;
    const list = [...new Set(numbers as number[])].sort((a, b) => a - b).join(",");
    return at(time, "*", list);
  }),
  rule(`(?:on )?(?:the )?last day ${OF_MONTH}${TIME}`, ([, time]) => at(time, "L", "*")),
  rule(`(?:on |every )?(?:the )?([a-z0-9]+) ([a-z]+) ${OF_MONTH}${TIME}`, ([, ordinal, day, time]) => {
    const nth = ORDINALS[ordinal!];
    const weekday = weekdayNumber(day!);
    return nth === undefined || weekday === undefined ? undefined : at(time, "*", `${weekday}${nth}`);
  }),
  rule(`(?:on )?(?:the )?(\\d{1,2})(?:st|nd|rd|th)(?: day)? ${OF_MONTH}${TIME}`, ([, day, time]) => {
    const n = Number(day);
    // The 29th to 31st are skipped in shorter months, as in cron; "last day of the month" is the way to the end.
    return n >= 1 && n <= 31 ? at(time, String(n), "*") : undefined;
  }),
];

function normalize(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/ ?, ?/g, ", ")
    .replace(/(?<![a-z])([ap])\.m\.?(?![a-z])/g, "$1m");
}

// "every N seconds/minutes/hours" is the step */N, which restarts every minute, hour or day as cron's
// steps do: "every 45 minutes" runs at :00 and :45, then :00 again. So N is at most 59 (23 for hours);
// a true fixed period that doesn't divide the hour is a simple recurrence, not a cron.
function step(n: number, unit: string): string | undefined {
  const singular = unit.replace(/s$/, "");
  const max = singular === "hour" ? 23 : 59;
  if (n < 1 || n > max) return undefined;
  const every = n === 1 ? "*" : `*/${n}`;
  if (singular === "second") return `${every} * * * * *`;
  if (singular === "minute") return `${every} * * * *`;
  return `0 ${every} * * *`;
}

function at(timeText: string | undefined, dayOfMonth: string, dayOfWeek: string): string | undefined {
  const time = timeText === undefined ? { hour: 0, minute: 0, second: 0 } : parseTime(timeText);
  if (time === undefined) return undefined;
  const fields = `${time.minute} ${time.hour} ${dayOfMonth} * ${dayOfWeek}`;
  return time.second === 0 ? fields : `${time.second} ${fields}`;
}

interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

function parseTime(text: string): TimeOfDay | undefined {
  if (text === "noon") return { hour: 12, minute: 0, second: 0 };
  if (text === "midnight") return { hour: 0, minute: 0, second: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?: ?([ap]m))?$/.exec(text);
  if (!match) return undefined;
  const [, h, m, s, half] = match;
  let hour = Number(h);
  const minute = Number(m ?? 0);
  const second = Number(s ?? 0);
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === "pm" ? 12 : 0); // 12 AM is midnight, 12 PM is noon
  } else if (m === undefined || hour > 23) {
    return undefined; // "9" alone could be morning or evening; 24h times need their minutes
  }
  return minute <= 59 && second <= 59 ? { hour, minute, second } : undefined;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** 0 (Sunday) to 6 of "monday", "mondays", "mon", "tues", "thurs"...; undefined for other words. */
function weekdayNumber(word: string): number | undefined {
  const singular = word.endsWith("s") && word.length > 3 ? word.slice(0, -1) : word;
  if (singular.length < 3) return undefined;
  const index = WEEKDAYS.findIndex((name) => name.startsWith(singular));
  return index === -1 ? undefined : index;
}
