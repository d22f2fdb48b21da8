/**
 * `schedule` (recent dstack, since 0.19.21): `{cron: "0 8 * * *"}` or a list of such crontab
 * expressions, in UTC. Each is checked as APScheduler 3's `CronTrigger.from_crontab` checks it.
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toMapping, toRecentStr } from "./coerce";

/** The schedule as recent dstack serialises it: `cron` is always a list. */
export interface Schedule {
  cron: string[];
}

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names for `jan-dec` or `mon-sun`, numbered from `min`. */
  names?: readonly string[];
  /** The day of the month also takes `last`. */
  last?: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The five crontab fields, in order. APScheduler numbers weekdays from Monday = 0. */
export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, last: true },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: WEEKDAYS },
];

/** What Python's `str.split()` splits on. */
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const ALL = /^\*(?:\/(\d+))?$/;
const RANGE = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/;
// Like APScheduler's, these match a prefix: "jan-feb/2" is January to February.
const NAME_RANGE = /^([a-z]+)(?:-([a-z]+))?/i;
const LAST = /^last/i;

/**
 * `schedule`: `{cron}` where cron is one crontab expression or a non-empty list of them; null when
 * unset. Numbers in `cron` are coerced to text (and then fail as one-field expressions).
 */
export function parseSchedule(value: unknown): Schedule | null {
  if (value === null || value === undefined) return null;
  const mapping = toMapping(value, 'a mapping with "cron", e.g. {cron: "0 8 * * *"}');
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, ["cron"], "schedule"));
  const cron = sink.run("cron", () => {
    if (mapping.cron === undefined) throw new GrammarError('schedule needs "cron": a crontab expression such as "0 8 * * *", or a list of them', "missing_field");
    return parseCronList(mapping.cron);
  });
  sink.done(); // throws unless cron parsed
  return { cron: cron! };
}

function parseCronList(value: unknown): string[] {
  const list = Array.isArray(value) ? mapItems(value, (item) => validateCron(toRecentStr(item))) : [validateCron(toRecentStr(value))];
  if (list.length === 0) throw new GrammarError("At least one cron expression must be specified", "invalid_value");
  return list;
}

/**
 * Checks one crontab expression, `minute hour day-of-month month day-of-week`, and returns it as
 * written. Each field is a comma-separated list of `*`, `*\/step`, `n`, `a-b`, `a/step`, `a-b/step`;
 * month and weekday also take names (`jan-mar`, `mon-fri`), the day of the month `last`.
 */
export function validateCron(expression: string): string {
  const fields = expression.split(PY_WHITESPACE).filter((field) => field !== "");
  if (fields.length !== CRON_FIELDS.length) {
    throw new GrammarError(
      `Wrong number of fields; got ${fields.length}, expected 5 (minute hour day-of-month month day-of-week) in the cron expression ${show(expression)}`,
      "invalid_value",
    );
  }
  fields.forEach((text, index) => {
    const field = CRON_FIELDS[index];
    for (const part of text.split(",")) {
      const problem = checkCronPart(part, field);
      if (problem !== undefined) {
        throw new GrammarError(`invalid ${field.name} ${show(part)} in the cron expression ${show(expression)}: ${problem}`, "invalid_value");
      }
    }
  });
  return expression;
}

/** Why one comma-separated part of a field is wrong, or undefined when it is fine. */
function checkCronPart(part: string, field: CronField): string | undefined {
  const span = field.max - field.min;
  let match = ALL.exec(part);
  if (match) return checkStep(match[1], span);
  match = RANGE.exec(part);
  if (match) {
    const first = Number(match[1]);
    const step = match[3];
    const last = match[2] !== undefined ? Number(match[2]) : step === undefined ? first : undefined;
    const stepProblem = checkStep(step, Infinity);
    if (stepProblem) return stepProblem;
    if (last !== undefined && first > last) return `the range starts after it ends (${first} > ${last})`;
    if (first < field.min) return `${first} is below the minimum ${field.min}`;
    if (last !== undefined && last > field.max) return `${last} is above the maximum ${field.max}`;
    if (first > field.max) return `${first} is above the maximum ${field.max}`;
    // APScheduler's `(last or max) - first`: a last of 0 counts as the maximum.
    return checkStep(step, (last || field.max) - first);
  }
  match = field.names ? NAME_RANGE.exec(part) : null;
  if (match && field.names) {
    const [first, last] = [match[1], match[2]].map((name) => (name === undefined ? undefined : field.names!.indexOf(name.toLowerCase())));
    const bad = first === -1 ? match[1] : last === -1 ? match[2] : undefined;
    if (bad !== undefined) return `unknown ${field.name === "month" ? "month" : "weekday"} name ${show(bad)}; use ${field.names.join(", ")}`;
    if (last !== undefined && first! > last) return `the range starts after it ends (${match[1]} > ${match[2]})`;
    return undefined;
  }
  if (field.last && LAST.test(part)) return undefined;
  const names = field.names ? `, names (${field.names[0]}-${field.names[field.names.length - 1]})` : field.last ? ", last" : "";
  return `use *, a number ${field.min}-${field.max}${names}, a range a-b, a step */n or a-b/n, or a list of these`;
}

function checkStep(step: string | undefined, span: number): string | undefined {
  if (step === undefined) return undefined;
  const value = Number(step);
  if (value === 0) return "the step must be higher than 0";
  if (value > span) return `the step ${value} is larger than the range it divides (${Math.max(span, 0)})`;
  return undefined;
}
