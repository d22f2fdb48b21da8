/**
 * The fields recent dstack added to the dev-environment configuration: user, shell, repos, files,
 * fleets, instances, schedule, tags, backend_options, utilization_policy, priority.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { GrammarError, GrammarErrors } from "../config/coerce";
import type { IssueCode } from "../config/issues";
import { PyFloat } from "../config/py-values";
import { parseBackendOptions } from "../config/backend-options";
import { parseFleets, parseInstances } from "../config/fleets";
import { parsePriority } from "../config/priority";
import { isWindowsAbsolute, parseFiles, parseRepos } from "../config/repos";
import { parseSchedule, validateCron } from "../config/schedule";
import { parseShell } from "../config/shell";
import { parseTags } from "../config/tags";
import { parseUser } from "../config/user";
import { parseUtilizationPolicy } from "../config/utilization-policy";

/** Asserts that `run` throws a GrammarError with exactly this message, code, subpath (and hint). */
function rejects(run: () => unknown, message: string, code: IssueCode, subpath: Array<string | number> = [], hint?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GrammarError, `expected a GrammarError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    assert.deepStrictEqual(error.subpath, subpath);
    if (hint !== undefined) assert.equal(error.hint, hint);
    return true;
  });
}

type Expected = [message: string, code: IssueCode, subpath: Array<string | number>];

/** Asserts that `run` throws GrammarErrors with exactly these problems, in this order. */
function rejectsAll(run: () => unknown, expected: Expected[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GrammarErrors, `expected GrammarErrors, got ${String(error)}`);
    assert.deepStrictEqual(
      error.errors.map((item) => [item.message, item.code, item.subpath]),
      expected,
    );
    return true;
  });
}

const USER_FORMS = '"user" or "user:group", each a name or a numeric id (e.g. "ubuntu", "1000:1000")';
const SHELL_MESSAGE = (text: string) => `"${text}" is not a valid shell: use "sh", "bash" or an absolute path such as "/usr/bin/zsh"`;
const REPO = { local_path: null, url: null, branch: null, hash: null, path: ".", if_exists: "error" };

describe("recent dstack fields", () => {
  describe("user", () => {
    it("conf-user, conf-user-int: keeps the text; numbers become text", () => {
      assert.equal(parseUser("1000:1000"), "1000:1000");
      assert.equal(parseUser(1000), "1000");
      assert.equal(parseUser("ubuntu"), "ubuntu");
      assert.equal(parseUser("ubuntu:wheel"), "ubuntu:wheel");
      assert.equal(parseUser(" 1000 :+5"), " 1000 :+5");
      assert.equal(parseUser("-0"), "-0");
      assert.equal(parseUser(new PyFloat(1.5)), "1.5");
      assert.equal(parseUser(null), null);
      assert.equal(parseUser(undefined), null);
    });

    it("conf-user-empty-user, conf-user-too-many-parts and other bad forms", () => {
      rejects(() => parseUser(":wheel"), `invalid user ":wheel": the user name or id before ":" is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("a:b:c"), `invalid user "a:b:c": too many parts (3); use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("ubuntu:"), `invalid user "ubuntu:": the group name or id after ":" is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser(""), `invalid user "": the user name or id is empty; use ${USER_FORMS}`, "invalid_value");
      rejects(() => parseUser("-1"), 'invalid user "-1": the uid cannot be negative (-1)', "invalid_range");
      rejects(() => parseUser("1000:-1_0"), 'invalid user "1000:-1_0": the gid cannot be negative (-10)', "invalid_range");
      rejects(() => parseUser(["root"]), "expected a string, got a list", "invalid_type");
      rejects(() => parseUser({ name: "root" }), "expected a string, got a mapping", "invalid_type");
    });
  });

  describe("shell", () => {
    it("conf-shell-abs: sh, bash and absolute paths", () => {
      assert.equal(parseShell("/usr/bin/zsh"), "/usr/bin/zsh");
      assert.equal(parseShell("sh"), "sh");
      assert.equal(parseShell("bash"), "bash");
      assert.equal(parseShell("//bin/fish"), "//bin/fish");
      assert.equal(parseShell(null), null);
    });

    it("conf-shell-zsh-invalid: a bare name or a relative path, with a hint", () => {
      rejects(() => parseShell("zsh"), SHELL_MESSAGE("zsh"), "invalid_value", [], 'Use an absolute path such as "/usr/bin/zsh"');
      rejects(() => parseShell("Bash"), SHELL_MESSAGE("Bash"), "invalid_value", [], 'Did you mean "bash"?');
      rejects(() => parseShell("bin/zsh"), SHELL_MESSAGE("bin/zsh"), "invalid_value", [], 'Use an absolute path such as "/bin/zsh"');
      rejects(() => parseShell(""), SHELL_MESSAGE(""), "invalid_value");
      rejects(() => parseShell(5), SHELL_MESSAGE("5"), "invalid_value");
      rejects(() => parseShell(["bash"]), "expected a string, got a list", "invalid_type");
    });
  });

  describe("priority", () => {
    it("conf-priority-ok: 0..100", () => {
      assert.equal(parsePriority(50), 50);
      assert.equal(parsePriority(0), 0);
      assert.equal(parsePriority("100"), 100);
      assert.equal(parsePriority(null), null);
    });

    it("conf-priority-too-high and other bad values", () => {
      rejects(() => parsePriority(101), "priority must be between 0 and 100, got 101", "invalid_range");
      rejects(() => parsePriority(-1), "priority must be between 0 and 100, got -1", "invalid_range");
      rejects(() => parsePriority("high"), 'expected an integer, got "high"', "invalid_type");
      rejects(() => parsePriority([1]), "expected an integer, got a list", "invalid_type");
    });
  });

  describe("utilization_policy", () => {
    it("conf-utilization-ok: the window in seconds", () => {
      assert.deepStrictEqual(parseUtilizationPolicy({ min_gpu_utilization: 10, time_window: "1h" }), { min_gpu_utilization: 10, time_window: 3600 });
      assert.deepStrictEqual(parseUtilizationPolicy({ min_gpu_utilization: 0, time_window: 300 }), { min_gpu_utilization: 0, time_window: 300 });
      assert.equal(parseUtilizationPolicy(null), null);
    });

    it("conf-utilization-short-window, conf-utilization-over-100, missing and unknown keys", () => {
      rejects(
        () => parseUtilizationPolicy({ min_gpu_utilization: 10, time_window: "1m" }),
        'Minimum time_window is 5m (300 seconds), got "1m"',
        "invalid_range",
        ["time_window"],
      );
      rejects(
        () => parseUtilizationPolicy({ min_gpu_utilization: 101, time_window: "1h" }),
        "min_gpu_utilization is a percentage from 0 to 100, got 101",
        "invalid_range",
        ["min_gpu_utilization"],
      );
      rejects(
        () => parseUtilizationPolicy({ min_gpu_utilization: 10 }),
        "utilization_policy needs time_window, e.g. {min_gpu_utilization: 10, time_window: 30m}",
        "missing_field",
        ["time_window"],
      );
      rejects(
        () => parseUtilizationPolicy({ min_gpu_utilization: 10, time_window: "1h", window: "1h" }),
        'unknown field "window" in utilization_policy; allowed: min_gpu_utilization, time_window',
        "unknown_field",
        ["window"],
      );
      rejects(() => parseUtilizationPolicy({ min_gpu_utilization: 10, time_window: null }), "expected a duration, " +
        'seconds (90) or a number with a unit s, m, h, d or w ("30m", "2h", "1d"); got null', "invalid_type", ["time_window"]);
      rejects(() => parseUtilizationPolicy("10%"), 'expected a mapping with min_gpu_utilization and time_window, got a string ("10%")', "invalid_type");
    });
  });

  describe("tags", () => {
    it("conf-tags-ok: string keys and values", () => {
      assert.deepStrictEqual(parseTags({ team: "ml", "cost-center": "a/b c" }), { team: "ml", "cost-center": "a/b c" });
      assert.deepStrictEqual(parseTags({ empty: "", url: "https://x.org/a=b+c@d" }), { empty: "", url: "https://x.org/a=b+c@d" });
      assert.equal(parseTags(null), null);
    });

    it("conf-tags-bad-key, conf-tags-int-value and bad values", () => {
      rejects(() => parseTags({ "bad key": "x" }), 'invalid tag key "bad key": a key has 1 to 60 letters, digits, _ or -, and it has a character other than those', "invalid_value", ["bad key"]);
      rejects(() => parseTags({ a: 1 }), 'the value of tag "a" must be a string, got an integer (1)', "invalid_type", ["a"], 'Quote the value: a: "1"');
      rejects(() => parseTags({ a: true }), 'the value of tag "a" must be a string, got a boolean (true)', "invalid_type", ["a"], 'Quote the value: a: "true"');
      rejects(() => parseTags({ a: new PyFloat(1) }), 'the value of tag "a" must be a string, got a number (1.0)', "invalid_type", ["a"], 'Quote the value: a: "1.0"');
      rejects(() => parseTags({ a: null }), 'the value of tag "a" must be a string, got null', "invalid_type", ["a"]);
      rejects(() => parseTags({ a: ["x"] }), 'the value of tag "a" must be a string, got a list', "invalid_type", ["a"]);
      rejects(() => parseTags({ a: "x!" }), 'invalid value "x!" for tag "a": a value has up to 256 letters, digits, spaces or . : / = _ - + @, and it has a character other than those', "invalid_value", ["a"]);
      rejects(() => parseTags({ a: "x\n" }), 'invalid value "x\\n" for tag "a": a value has up to 256 letters, digits, spaces or . : / = _ - + @, and it has a character other than those', "invalid_value", ["a"]);
      rejects(() => parseTags({ "": "x" }), 'invalid tag key "": a key has 1 to 60 letters, digits, _ or -, and it is empty', "invalid_value", [""]);
      rejects(() => parseTags(["team=ml"]), "expected a mapping of tag names to values, got a list", "invalid_type");
    });

    it("takes keys of 60 characters and values of 256, not more", () => {
      const key = "k".repeat(60);
      assert.deepStrictEqual(parseTags({ [key]: "v".repeat(256) }), { [key]: "v".repeat(256) });
      rejects(() => parseTags({ [`${key}k`]: "v" }), `invalid tag key "${key}k": a key has 1 to 60 letters, digits, _ or -, and it has 61 characters`, "invalid_value", [`${key}k`]);
      rejects(
        () => parseTags({ a: "v".repeat(257) }),
        `invalid value "${"v".repeat(60)}"... (257 characters) for tag "a": a value has up to 256 letters, digits, spaces or . : / = _ - + @, and it has 257 characters`,
        "invalid_value",
        ["a"],
      );
    });

    it("stores a __proto__ key as a tag without touching any prototype", () => {
      const input = JSON.parse('{"__proto__": "x", "constructor": "y"}') as unknown;
      const tags = parseTags(input);
      assert.ok(tags !== null);
      assert.deepStrictEqual(Object.keys(tags), ["__proto__", "constructor"]);
      assert.equal(Object.getOwnPropertyDescriptor(tags, "__proto__")?.value, "x");
      assert.equal(Object.getPrototypeOf(tags), Object.prototype);
      assert.deepStrictEqual(tags, input);
      rejects(() => parseTags(JSON.parse('{"__proto__": {"polluted": "yes"}}')), 'the value of tag "__proto__" must be a string, got a mapping', "invalid_type", ["__proto__"]);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe("fleets", () => {
    it("conf-fleets, conf-fleets-object: names, project/name, objects", () => {
      assert.deepStrictEqual(parseFleets(["my-fleet", "other-project/gpu-fleet"]), [
        { project: null, name: "my-fleet" },
        { project: "other-project", name: "gpu-fleet" },
      ]);
      assert.deepStrictEqual(parseFleets([{ project: "p", name: "f" }]), [{ project: "p", name: "f" }]);
      assert.deepStrictEqual(parseFleets([{ name: "f" }, { project: null, name: 7 }]), [{ project: null, name: "f" }, { project: null, name: "7" }]);
      assert.deepStrictEqual(parseFleets([5]), [{ project: null, name: "5" }]);
      assert.deepStrictEqual(parseFleets([]), []);
      assert.equal(parseFleets(null), null);
    });

    it("conf-fleets-bad: three parts, empty parts, wrong types", () => {
      const bad = (text: string) => `invalid fleet reference "${text}": only "<name>" or "<project>/<name>" are allowed`;
      rejects(() => parseFleets(["a/b/c"]), bad("a/b/c"), "invalid_value", [0]);
      rejects(() => parseFleets(["ok", "/a"]), bad("/a"), "invalid_value", [1]);
      rejects(() => parseFleets(["a/"]), bad("a/"), "invalid_value", [0]);
      rejects(() => parseFleets([""]), bad(""), "invalid_value", [0]);
      const expected = 'a fleet: "<name>" or "<project>/<name>", or a mapping with "name" and "project"';
      rejects(() => parseFleets([null]), `expected ${expected}, got null`, "invalid_type", [0]);
      rejects(() => parseFleets([["a"]]), `expected ${expected}, got a list`, "invalid_type", [0]);
      rejects(() => parseFleets([{}]), 'a fleet reference needs "name"', "missing_field", [0, "name"]);
      rejectsAll(() => parseFleets([{ nme: "f" }]), [
        ['unknown field "nme" in a fleet reference; allowed: project, name', "unknown_field", [0, "nme"]],
        ['a fleet reference needs "name"', "missing_field", [0, "name"]],
      ]);
      rejects(() => parseFleets("my-fleet"), 'expected a list of fleets, got a string ("my-fleet")', "invalid_type");
    });
  });

  describe("instances", () => {
    it("conf-instances-str: strings are names; objects by name, hostname or fleet and number", () => {
      assert.deepStrictEqual(parseInstances(["my-fleet-1"]), [{ name: "my-fleet-1" }]);
      assert.deepStrictEqual(parseInstances([{ name: "a" }, { hostname: "10.0.0.2" }, { fleet: "p/f", instance: 2 }, { fleet: { name: "f" }, instance: "0" }]), [
        { name: "a" },
        { hostname: "10.0.0.2" },
        { fleet: { project: "p", name: "f" }, instance: 2 },
        { fleet: { project: null, name: "f" }, instance: 0 },
      ]);
      assert.equal(parseInstances(null), null);
    });

    it("conf-instances-empty and bad selectors", () => {
      rejects(() => parseInstances([]), "instances cannot be empty: list at least one instance, or leave instances out", "invalid_value");
      rejects(() => parseInstances([""]), "the instance name cannot be empty", "invalid_value", [0]);
      rejects(() => parseInstances([{ hostname: "" }]), "the hostname cannot be empty", "invalid_value", [0, "hostname"]);
      rejects(() => parseInstances([{}]), 'an instance selector needs "name", "hostname", or "fleet" and "instance"', "missing_field", [0]);
      rejects(
        () => parseInstances([{ name: "a", hostname: "b" }]),
        'an instance selector takes only one of "name", "hostname", or "fleet" with "instance"; this one has "name" and "hostname"',
        "conflict",
        [0, "hostname"],
      );
      rejects(() => parseInstances([{ fleet: "f" }]), 'an instance selector with "fleet" also needs "instance", the number of the instance in the fleet', "missing_field", [0, "instance"]);
      rejects(() => parseInstances([{ instance: 1 }]), 'an instance selector with "instance" also needs "fleet"', "missing_field", [0, "fleet"]);
      rejects(() => parseInstances([{ fleet: "f", instance: -1 }]), "the instance number cannot be negative, got -1", "invalid_range", [0, "instance"]);
      rejects(() => parseInstances([{ fleet: "a/b/c", instance: 0 }]), 'invalid fleet reference "a/b/c": only "<name>" or "<project>/<name>" are allowed', "invalid_value", [0, "fleet"]);
      rejects(() => parseInstances([{ fleet: "f", instance: "first" }]), 'expected an integer, got "first"', "invalid_type", [0, "instance"]);
      rejects(() => parseInstances([{ host: "h" }]), 'unknown field "host" in an instance selector; allowed: name, hostname, fleet, instance', "unknown_field", [0, "host"]);
      rejects(() => parseInstances([7]), 'expected an instance name, or a mapping with "name", "hostname", or "fleet" and "instance", got an integer (7)', "invalid_type", [0]);
    });
  });

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

  describe("repos", () => {
    it("conf-repos-local, conf-repos-url-path: the string forms", () => {
      assert.deepStrictEqual(parseRepos(["."]), [{ ...REPO, local_path: "." }]);
      assert.deepStrictEqual(parseRepos(["https://example.com/repo.git:/repo"]), [{ ...REPO, url: "https://example.com/repo.git", path: "/repo" }]);
      assert.deepStrictEqual(parseRepos(["git@github.com:org/repo.git"]), [{ ...REPO, url: "git@github.com:org/repo.git" }]);
      assert.deepStrictEqual(parseRepos(["git@github.com:org/repo.git:~/src"]), [{ ...REPO, url: "git@github.com:org/repo.git", path: "~/src" }]);
      assert.deepStrictEqual(parseRepos(["C:\\src\\repo:/repo"]), [{ ...REPO, local_path: "C:\\src\\repo", path: "/repo" }]);
      assert.deepStrictEqual(parseRepos(["c:/src"]), [{ ...REPO, local_path: "c:/src" }]);
      // dstack's own rules: `host:path` without `@` or `//` is a local path and a container path.
      assert.deepStrictEqual(parseRepos(["github.com:org"]), [{ ...REPO, local_path: "github.com", path: "org" }]);
      assert.deepStrictEqual(parseRepos([]), []);
      assert.deepStrictEqual(parseRepos(undefined), []);
    });

    it("the object form, with defaults", () => {
      assert.deepStrictEqual(parseRepos([{ url: "https://github.com/org/repo", branch: "main", hash: 1234, path: "~", if_exists: "skip" }]), [
        { local_path: null, url: "https://github.com/org/repo", branch: "main", hash: "1234", path: "~", if_exists: "skip" },
      ]);
      assert.deepStrictEqual(parseRepos([{ local_path: "..", url: "" }]), [{ ...REPO, local_path: "..", url: "" }]);
    });

    it("conf-repos-two, conf-repos-tilde-user and other errors", () => {
      rejects(() => parseRepos([".", "https://github.com/org/repo"]), "A maximum of one repo is currently supported; this list has 2", "invalid_value", [1]);
      const tilde = 'Use "~" or "~/dir" for the home directory, or an absolute path';
      rejects(() => parseRepos([{ local_path: ".", path: "~alice/x" }]), 'the "~username" syntax is not supported in a repo path: "~alice/x"', "invalid_value", [0, "path"], tilde);
      rejects(() => parseRepos([".:~alice"]), 'the "~username" syntax is not supported in a repo path: "~alice"', "invalid_value", [0], tilde);
      rejects(() => parseRepos(["a:b:c"]), 'invalid repo "a:b:c": use "source" or "source:path", where source is a local path, a URL or git@host:org/repo.git', "invalid_value", [0]);
      rejects(() => parseRepos([":/repo"]), 'invalid repo ":/repo": the source (a local path or a Git URL) is empty', "invalid_value", [0]);
      rejects(() => parseRepos([{ local_path: ".", url: "https://x" }]), '"local_path" and "url" are mutually exclusive: give one of them', "conflict", [0, "url"]);
      rejects(() => parseRepos([{ branch: "main" }]), 'a repo needs "local_path" (a folder on this machine) or "url" (a Git URL)', "missing_field", [0]);
      rejects(() => parseRepos([{ url: "u", path: null }]), "expected a string, got null", "invalid_type", [0, "path"]);
      rejects(() => parseRepos([{ url: "u", if_exists: "Skip" }]), '"Skip" is not a valid if_exists action; allowed: error, skip', "invalid_choice", [0, "if_exists"], 'Did you mean "skip"?');
      rejects(() => parseRepos([{ url: "u", pth: "/r" }]), 'unknown field "pth" in a repo; allowed: local_path, url, branch, hash, path, if_exists', "unknown_field", [0, "pth"], 'Did you mean "path"?');
      rejects(() => parseRepos(null), "expected a list of repos, got null", "invalid_type");
      rejects(() => parseRepos("."), 'expected a list of repos, got a string (".")', "invalid_type");
      rejects(() => parseRepos([["."]]), 'expected a repo: a path or URL, or a mapping with "local_path" or "url", got a list', "invalid_type", [0]);
    });
  });

  describe("files", () => {
    it("conf-files, conf-files-windows-src: local[:container] and objects", () => {
      assert.deepStrictEqual(parseFiles(["./data:/data", "config.yaml"]), [
        { local_path: "./data", path: "/data" },
        { local_path: "config.yaml", path: "config.yaml" },
      ]);
      assert.deepStrictEqual(parseFiles(["C:\\data:/data"]), [{ local_path: "C:\\data", path: "/data" }]);
      assert.deepStrictEqual(parseFiles([{ local_path: "~/.aws", path: "/root/.aws" }]), [{ local_path: "~/.aws", path: "/root/.aws" }]);
      assert.deepStrictEqual(parseFiles([{ local_path: 1, path: "rel\\win" }]), [{ local_path: "1", path: "rel\\win" }]);
      assert.deepStrictEqual(parseFiles(undefined), []);
    });

    it("conf-files-windows-dest and other errors", () => {
      const hint = 'Use a path such as "/data" or a relative one';
      rejects(() => parseFiles(["d:/path/to"]), 'the container path must be a Unix path, got "d:/path/to"', "invalid_value", [0], hint);
      rejects(() => parseFiles(["ab:\\\\server\\share"]), 'the container path must be a Unix path, got "\\\\\\\\server\\\\share"', "invalid_value", [0], hint);
      rejects(() => parseFiles([{ local_path: "a", path: "C:\\x" }]), 'the container path must be a Unix path, got "C:\\\\x"', "invalid_value", [0, "path"], hint);
      rejects(() => parseFiles(["a:b:c"]), 'invalid file mapping "a:b:c": use "local_path" or "local_path:container_path"', "invalid_value", [0]);
      rejects(() => parseFiles([{ local_path: "a" }]), 'a file mapping needs "path"', "missing_field", [0, "path"]);
      rejects(() => parseFiles([{ path: "/a" }]), 'a file mapping needs "local_path"', "missing_field", [0, "local_path"]);
      rejects(() => parseFiles(null), "expected a list of file mappings, got null", "invalid_type");
    });

    it("reads Windows-absolute container paths as Python 3.9-3.11 do", () => {
      for (const path of ["C:/", "c:\\x", "//server/share", "\\\\a\\b", "//server/", "/\\a\\b", "//?/C:/x"]) assert.equal(isWindowsAbsolute(path), true, path);
      for (const path of ["/x", "//x", "///x", "//a//b", "C:x", "1:/x", "a\\b", "\\x", ""]) assert.equal(isWindowsAbsolute(path), false, path);
    });
  });

  describe("backend_options", () => {
    it("conf-backend-options: every field present, null when unset", () => {
      assert.deepStrictEqual(parseBackendOptions([{ type: "vastai", min_score: 100 }]), [{ type: "vastai", offer_order: null, min_reliability: null, min_score: 100 }]);
      assert.deepStrictEqual(parseBackendOptions([{ type: "vastai", offer_order: "price", min_reliability: new PyFloat(0.95), min_score: null }]), [
        { type: "vastai", offer_order: "price", min_reliability: 0.95, min_score: null },
      ]);
      // dstack's only options model declares `type: vastai` as a default.
      assert.deepStrictEqual(parseBackendOptions([{ min_reliability: "1" }]), [{ type: "vastai", offer_order: null, min_reliability: 1, min_score: null }]);
      assert.equal(parseBackendOptions(null), null);
    });

    it("bad entries", () => {
      rejects(() => parseBackendOptions([{ type: "vastai" }, { min_score: 1 }]), 'backend_options has more than one entry for the backend "vastai"; merge them into one', "conflict", [1]);
      rejects(() => parseBackendOptions([{ type: "aws" }]), '"aws" is not a valid backend with options; allowed: vastai', "invalid_choice", [0, "type"]);
      rejects(() => parseBackendOptions([{ min_reliability: new PyFloat(1.5) }]), "min_reliability is a fraction from 0 to 1, got 1.5", "invalid_range", [0, "min_reliability"]);
      rejects(() => parseBackendOptions([{ min_reliability: "nan" }]), 'min_reliability is a fraction from 0 to 1, got "nan"', "invalid_range", [0, "min_reliability"]);
      rejects(() => parseBackendOptions([{ min_score: -1 }]), "min_score cannot be negative, got -1", "invalid_range", [0, "min_score"]);
      rejects(() => parseBackendOptions([{ offer_order: "Price" }]), '"Price" is not a valid offer order; allowed: score, price', "invalid_choice", [0, "offer_order"], 'Did you mean "price"?');
      rejects(
        () => parseBackendOptions([{ min_scor: 1 }]),
        'unknown field "min_scor" in vastai backend options; allowed: type, offer_order, min_reliability, min_score',
        "unknown_field",
        [0, "min_scor"],
        'Did you mean "min_score"?',
      );
      rejects(() => parseBackendOptions({ type: "vastai" }), "expected a list of backend options, got a mapping", "invalid_type");
      rejects(() => parseBackendOptions(["vastai"]), 'expected a mapping such as {type: vastai, min_score: 100}, got a string ("vastai")', "invalid_type", [0]);
    });
  });

  describe("every problem at once", () => {
    it("reports each bad field of an object and each bad item of a list", () => {
      rejectsAll(() => parseRepos([{ url: "u", path: "~bob", if_exists: "never", pth: 1 }]), [
        ['unknown field "pth" in a repo; allowed: local_path, url, branch, hash, path, if_exists', "unknown_field", [0, "pth"]],
        ['the "~username" syntax is not supported in a repo path: "~bob"', "invalid_value", [0, "path"]],
        ['"never" is not a valid if_exists action; allowed: error, skip', "invalid_choice", [0, "if_exists"]],
      ]);
      rejectsAll(() => parseUtilizationPolicy({ min_gpu_utilization: -5 }), [
        ["min_gpu_utilization is a percentage from 0 to 100, got -5", "invalid_range", ["min_gpu_utilization"]],
        ["utilization_policy needs time_window, e.g. {min_gpu_utilization: 10, time_window: 30m}", "missing_field", ["time_window"]],
      ]);
      rejectsAll(() => parseTags({ ok: "x", "a b": "y", n: 2 }), [
        ['invalid tag key "a b": a key has 1 to 60 letters, digits, _ or -, and it has a character other than those', "invalid_value", ["a b"]],
        ['the value of tag "n" must be a string, got an integer (2)', "invalid_type", ["n"]],
      ]);
      rejectsAll(() => parseBackendOptions([{ type: "aws", min_score: -1 }]), [
        ['"aws" is not a valid backend with options; allowed: vastai', "invalid_choice", [0, "type"]],
        ["min_score cannot be negative, got -1", "invalid_range", [0, "min_score"]],
      ]);
      rejectsAll(() => parseInstances([{ fleet: "a//b", instance: -2 }, ""]), [
        ['invalid fleet reference "a//b": only "<name>" or "<project>/<name>" are allowed', "invalid_value", [0, "fleet"]],
        ["the instance number cannot be negative, got -2", "invalid_range", [0, "instance"]],
        ["the instance name cannot be empty", "invalid_value", [1]],
      ]);
      rejectsAll(() => parseFiles([{ local_path: null }, "a:b:c"]), [
        ["expected a string, got null", "invalid_type", [0, "local_path"]],
        ['a file mapping needs "path"', "missing_field", [0, "path"]],
        ['invalid file mapping "a:b:c": use "local_path" or "local_path:container_path"', "invalid_value", [1]],
      ]);
    });
  });

  describe("hostile input", () => {
    const parsers: Record<string, (value: unknown) => unknown> = {
      parseUser, parseShell, parsePriority, parseUtilizationPolicy, parseTags, parseFleets, parseInstances,
      parseSchedule, parseRepos, parseFiles, parseBackendOptions,
    };

    it("any value either parses or is refused with a GrammarError", () => {
      for (const [name, parse] of Object.entries(parsers)) {
        fc.assert(
          fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
            try {
              parse(value);
            } catch (error) {
              assert.ok(error instanceof GrammarError || error instanceof GrammarErrors, `${name}: ${String(error)}`);
            }
          }),
          { numRuns: 300 },
        );
      }
    });

    it("unknown __proto__ keys are unknown fields, and nothing is polluted", () => {
      const hostile = JSON.parse('{"url": "u", "__proto__": {"polluted": "yes"}}') as unknown;
      rejects(() => parseRepos([hostile]), 'unknown field "__proto__" in a repo; allowed: local_path, url, branch, hash, path, if_exists', "unknown_field", [0, "__proto__"]);
      rejects(() => parseFleets([JSON.parse('{"name": "f", "__proto__": {}}')]), 'unknown field "__proto__" in a fleet reference; allowed: project, name', "unknown_field", [0, "__proto__"]);
      rejectsAll(() => parseSchedule(JSON.parse('{"__proto__": "* * * * *"}')), [
        ['unknown field "__proto__" in schedule; allowed: cron', "unknown_field", ["__proto__"]],
        ['schedule needs "cron": a crontab expression such as "0 8 * * *", or a list of them', "missing_field", ["cron"]],
      ]);
      rejects(() => parseTags(Object.create(null)), "expected a mapping of tag names to values, got a mapping", "invalid_type");
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it("huge strings are handled in linear time and quoted briefly where they are the problem", () => {
      const huge = "a".repeat(1_000_000);
      assert.equal(parseUser(huge), huge);
      assert.deepStrictEqual(parseFleets([huge]), [{ project: null, name: huge }]);
      rejects(() => parseTags({ [huge]: "x" }), `invalid tag key "${"a".repeat(60)}"... (1000000 characters): a key has 1 to 60 letters, digits, _ or -, and it has 1000000 characters`, "invalid_value", [huge]);
      assert.deepStrictEqual(parseSchedule({ cron: `${"1,".repeat(200_000)}1 * * * *` })?.cron.length, 1);
      assert.throws(() => parseSchedule({ cron: `${" ".repeat(1_000_000)}x` }), GrammarError);
      assert.throws(() => parseRepos([`${"a:".repeat(100_000)}`]), GrammarError);
      assert.throws(() => parseShell(`${"x".repeat(1_000_000)}!`), GrammarError);
      assert.throws(() => parseFleets(["a/".repeat(100_000)]), GrammarError);
    });

    it("deeply nested lists are refused at the first level that is wrong", () => {
      let nested: unknown = "x";
      for (let depth = 0; depth < 10_000; depth++) nested = [nested];
      rejects(() => parseFleets(nested), 'expected a fleet: "<name>" or "<project>/<name>", or a mapping with "name" and "project", got a list', "invalid_type", [0]);
      rejects(() => parseSchedule({ cron: nested }), "expected a string, got a list", "invalid_type", ["cron", 0]);
      rejects(() => parseFiles(nested), 'expected a file mapping: "local_path[:path]" or a mapping with "local_path" and "path", got a list', "invalid_type", [0]);
    });
  });
});
