/**
 * The recent dstack field schedule, and its cron expressions as APScheduler reads them.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import { parseSchedule, validateCron } from "../../config/schedule";
import { rejects, rejectsAll } from "./rejects";

describe("recent dstack fields", () => {
  describe("schedule", () => {
    it("conf-schedule-str: one expression or a list, always returned as a list", () => {
      assert.deepStrictEqual(parseSchedule({ cron: "0 8 * * *" }), { cron: ["0 8 * * *"] });
      assert.deepStrictEqual(parseSchedule({ cron: ["0 8 * * mon-fri", "*/15 9-17 1,15 jan-mar/2 SUN"] }), {
        cron: ["0 8 * * mon-fri", "*/15 9-17 1,15 jan-mar/2 SUN"],
      });
      assert.deepStrictEqual(parseSchedule({ cron: "\t0  8 last * *\n" }), { cron: ["\t0  8 last * *\n"] });
      assert.equal(parseSchedule(null), null);
    });

    it("conf-schedule-empty-list, conf-schedule-bad-cron and other bad shapes", () => {
      rejects(() => parseSchedule({ cron: [] }), "At least one cron expression must be specified", "invalid_value", ["cron"]);
      rejects(() => parseSchedule({ cron: "bad" }), 'Wrong number of fields; got 1, expected 5 (minute hour day-of-month month day-of-week) in the cron expression "bad"', "invalid_value", ["cron"]);
      rejects(() => parseSchedule({ cron: 5 }), 'Wrong number of fields; got 1, expected 5 (minute hour day-of-month month day-of-week) in the cron expression "5"', "invalid_value", ["cron"]);
      rejects(
        () => parseSchedule({ cron: ["0 8 * * *", "61 * * * *"] }),
        'invalid minute "61" in the cron expression "61 * * * *": 61 is above the maximum 59',
        "invalid_value",
        ["cron", 1],
      );
      rejects(() => parseSchedule({ cron: [["* * * * *"]] }), "expected a string, got a list", "invalid_type", ["cron", 0]);
      rejects(() => parseSchedule({ cron: null }), "expected a string, got null", "invalid_type", ["cron"]);
      rejects(() => parseSchedule({}), 'schedule needs "cron": a crontab expression such as "0 8 * * *", or a list of them', "missing_field", ["cron"]);
      rejectsAll(() => parseSchedule({ crons: "* * * * *" }), [
        ['unknown field "crons" in schedule; allowed: cron', "unknown_field", ["crons"]],
        ['schedule needs "cron": a crontab expression such as "0 8 * * *", or a list of them', "missing_field", ["cron"]],
      ]);
      rejects(() => parseSchedule("0 8 * * *"), 'expected a mapping with "cron", e.g. {cron: "0 8 * * *"}, got a string ("0 8 * * *")', "invalid_type");
    });

    // Each verdict below is what APScheduler 3.9.1's CronTrigger.from_crontab says (the same
    // rules agreed on 26,000 generated expressions).
    const accepted = [
      "* * * * *", "0 0 1 1 0", "59 23 31 12 6", "*/59 */23 */30 */11 */6", "0-0/5 * * * *", "5/10 * * * *",
      "1-5,10,20-30/5 * * * *", "* * last * *", "* * LASTday * *", "* * * JAN-dec *", "* * * jan5 *", "* * * jan-feb/2 *",
      "* * * * sun", "* * * * mon-", "05 07 * * *", "*\u3000*\u2003* * *", "*\x1c* * * *",
    ];
    const refused: Array<[string, string]> = [
      ["60 * * * *", 'invalid minute "60" in the cron expression "60 * * * *": 60 is above the maximum 59'],
      ["* 24 * * *", 'invalid hour "24" in the cron expression "* 24 * * *": 24 is above the maximum 23'],
      ["* * 0 * *", 'invalid day of month "0" in the cron expression "* * 0 * *": 0 is below the minimum 1'],
      ["* * * 13 *", 'invalid month "13" in the cron expression "* * * 13 *": 13 is above the maximum 12'],
      ["* * * * 7", 'invalid day of week "7" in the cron expression "* * * * 7": 7 is above the maximum 6'],
      ["*/0 * * * *", 'invalid minute "*/0" in the cron expression "*/0 * * * *": the step must be higher than 0'],
      ["*/60 * * * *", 'invalid minute "*/60" in the cron expression "*/60 * * * *": the step 60 is larger than the range it divides (59)'],
      ["59/1 * * * *", 'invalid minute "59/1" in the cron expression "59/1 * * * *": the step 1 is larger than the range it divides (0)'],
      ["5-1 * * * *", 'invalid minute "5-1" in the cron expression "5-1 * * * *": the range starts after it ends (5 > 1)'],
      ["* * * dec-jan *", 'invalid month "dec-jan" in the cron expression "* * * dec-jan *": the range starts after it ends (dec > jan)'],
      ["* * * * fri-mon", 'invalid day of week "fri-mon" in the cron expression "* * * * fri-mon": the range starts after it ends (fri > mon)'],
      ["* * * janx *", 'invalid month "janx" in the cron expression "* * * janx *": unknown month name "janx"; use jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec'],
      ["* * * * funday", 'invalid day of week "funday" in the cron expression "* * * * funday": unknown weekday name "funday"; use mon, tue, wed, thu, fri, sat, sun'],
      ["1,,2 * * * *", 'invalid minute "" in the cron expression "1,,2 * * * *": use *, a number 0-59, a range a-b, a step */n or a-b/n, or a list of these'],
      ["* * L * *", 'invalid day of month "L" in the cron expression "* * L * *": use *, a number 1-31, last, a range a-b, a step */n or a-b/n, or a list of these'],
      ["* * * * ?", 'invalid day of week "?" in the cron expression "* * * * ?": use *, a number 0-6, names (mon-sun), a range a-b, a step */n or a-b/n, or a list of these'],
      ["last * * * *", 'invalid minute "last" in the cron expression "last * * * *": use *, a number 0-59, a range a-b, a step */n or a-b/n, or a list of these'],
      ["* * * * * *", 'Wrong number of fields; got 6, expected 5 (minute hour day-of-month month day-of-week) in the cron expression "* * * * * *"'],
      ["", 'Wrong number of fields; got 0, expected 5 (minute hour day-of-month month day-of-week) in the cron expression ""'],
      ["*\ufeff* * * *", 'Wrong number of fields; got 4, expected 5 (minute hour day-of-month month day-of-week) in the cron expression "*\ufeff* * * *"'],
    ];
    it("accepts what APScheduler accepts", () => {
      for (const expression of accepted) assert.equal(validateCron(expression), expression);
    });
    it("refuses what APScheduler refuses, saying why", () => {
      for (const [expression, message] of refused) rejects(() => validateCron(expression), message, "invalid_value");
    });
  });
});
