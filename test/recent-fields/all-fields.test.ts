/**
 * All the recent dstack fields at once (user, shell, repos, files, fleets, instances, schedule, tags,
 * backend_options, utilization_policy, priority): every problem of a value reported together, and
 * hostile input to each parser.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours. Values of every other type get an exact, listed
 * outcome; generated values (seeded) get the same outcome twice and refusals that point into them.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { GrammarError, GrammarErrors } from "../../config/coerce";
import { parseBackendOptions } from "../../config/backend-options";
import { parseFleets, parseInstances } from "../../config/fleets";
import { parsePriority } from "../../config/priority";
import { parseFiles, parseRepos } from "../../config/repos";
import { parseSchedule } from "../../config/schedule";
import { parseShell } from "../../config/shell";
import { parseTags } from "../../config/tags";
import { parseUser } from "../../config/user";
import { parseUtilizationPolicy } from "../../config/utilization-policy";
import { rejects, rejectsAll } from "./rejects";

describe("recent dstack fields", () => {
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

    /** What a parser does with a value: the value it returns, or every problem it reports (message, code, path). */
    type Outcome = { value: unknown } | { errors: [string, string, (string | number)[]][] };
    function outcome(parse: (value: unknown) => unknown, value: unknown): Outcome {
      try {
        return { value: parse(value) };
      } catch (error) {
        if (!(error instanceof GrammarError || error instanceof GrammarErrors)) throw error;
        const errors = error instanceof GrammarErrors ? error.errors : [error];
        return { errors: errors.map((item) => [item.message, item.code, [...item.subpath]]) };
      }
    }

    // Each parser on the values of every other type, the empty ones and a NUL: the exact outcome.
    const EXPECTED: Record<string, [unknown, Outcome][]> = {
  parseUser: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["invalid user \"-1\": the uid cannot be negative (-1)", "invalid_range", []]] }],
    [1.5, { value: "1.5" }],
    [NaN, { value: "nan" }],
    [true, { errors: [["expected a string, got a boolean (true); quote it if you mean the text", "invalid_type", []]] }],
    ["", { errors: [["invalid user \"\": the user name or id is empty; use \"user\" or \"user:group\", each a name or a numeric id (e.g. \"ubuntu\", \"1000:1000\")", "invalid_value", []]] }],
    ["\u0000", { value: "\u0000" }],
    [[], { errors: [["expected a string, got a list", "invalid_type", []]] }],
    [{}, { errors: [["expected a string, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a string, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["expected a string, got a mapping", "invalid_type", []]] }],
  ],
  parseShell: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["\"-1\" is not a valid shell: use \"sh\", \"bash\" or an absolute path such as \"/usr/bin/zsh\"", "invalid_value", []]] }],
    [1.5, { errors: [["\"1.5\" is not a valid shell: use \"sh\", \"bash\" or an absolute path such as \"/usr/bin/zsh\"", "invalid_value", []]] }],
    [NaN, { errors: [["\"nan\" is not a valid shell: use \"sh\", \"bash\" or an absolute path such as \"/usr/bin/zsh\"", "invalid_value", []]] }],
    [true, { errors: [["expected a string, got a boolean (true); quote it if you mean the text", "invalid_type", []]] }],
    ["", { errors: [["\"\" is not a valid shell: use \"sh\", \"bash\" or an absolute path such as \"/usr/bin/zsh\"", "invalid_value", []]] }],
    ["\u0000", { errors: [["\"\\u0000\" is not a valid shell: use \"sh\", \"bash\" or an absolute path such as \"/usr/bin/zsh\"", "invalid_value", []]] }],
    [[], { errors: [["expected a string, got a list", "invalid_type", []]] }],
    [{}, { errors: [["expected a string, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a string, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["expected a string, got a mapping", "invalid_type", []]] }],
  ],
  parsePriority: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["priority must be between 0 and 100, got -1", "invalid_range", []]] }],
    [1.5, { errors: [["expected an integer, got 1.5", "invalid_type", []]] }],
    [NaN, { errors: [["expected an integer, got NaN", "invalid_type", []]] }],
    [true, { value: 1 }],
    ["", { errors: [["expected an integer, got \"\"", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected an integer, got \"\\u0000\"", "invalid_type", []]] }],
    [[], { errors: [["expected an integer, got a list", "invalid_type", []]] }],
    [{}, { errors: [["expected an integer, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected an integer, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["expected an integer, got a mapping", "invalid_type", []]] }],
  ],
  parseUtilizationPolicy: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a mapping with min_gpu_utilization and time_window, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a mapping with min_gpu_utilization and time_window, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a mapping with min_gpu_utilization and time_window, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a mapping with min_gpu_utilization and time_window, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a mapping with min_gpu_utilization and time_window, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a mapping with min_gpu_utilization and time_window, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { errors: [["expected a mapping with min_gpu_utilization and time_window, got a list", "invalid_type", []]] }],
    [{}, { errors: [["utilization_policy needs min_gpu_utilization, e.g. {min_gpu_utilization: 10, time_window: 30m}", "missing_field", ["min_gpu_utilization"]], ["utilization_policy needs time_window, e.g. {min_gpu_utilization: 10, time_window: 30m}", "missing_field", ["time_window"]]] }],
    [[null], { errors: [["expected a mapping with min_gpu_utilization and time_window, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["unknown field \"a\" in utilization_policy; allowed: min_gpu_utilization, time_window", "unknown_field", ["a"]], ["utilization_policy needs min_gpu_utilization, e.g. {min_gpu_utilization: 10, time_window: 30m}", "missing_field", ["min_gpu_utilization"]], ["utilization_policy needs time_window, e.g. {min_gpu_utilization: 10, time_window: 30m}", "missing_field", ["time_window"]]] }],
  ],
  parseTags: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a mapping of tag names to values, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a mapping of tag names to values, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a mapping of tag names to values, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a mapping of tag names to values, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a mapping of tag names to values, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a mapping of tag names to values, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { errors: [["expected a mapping of tag names to values, got a list", "invalid_type", []]] }],
    [{}, { value: {} }],
    [[null], { errors: [["expected a mapping of tag names to values, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["the value of tag \"a\" must be a string, got a mapping", "invalid_type", ["a"]]] }],
  ],
  parseFleets: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a list of fleets, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a list of fleets, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a list of fleets, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a list of fleets, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a list of fleets, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a list of fleets, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { value: [] }],
    [{}, { errors: [["expected a list of fleets, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a fleet: \"<name>\" or \"<project>/<name>\", or a mapping with \"name\" and \"project\", got null", "invalid_type", [0]]] }],
    [{ a: {} }, { errors: [["expected a list of fleets, got a mapping", "invalid_type", []]] }],
  ],
  parseInstances: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a list of instances, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a list of instances, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a list of instances, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a list of instances, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a list of instances, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a list of instances, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { errors: [["instances cannot be empty: list at least one instance, or leave instances out", "invalid_value", []]] }],
    [{}, { errors: [["expected a list of instances, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected an instance name, or a mapping with \"name\", \"hostname\", or \"fleet\" and \"instance\", got null", "invalid_type", [0]]] }],
    [{ a: {} }, { errors: [["expected a list of instances, got a mapping", "invalid_type", []]] }],
  ],
  parseSchedule: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a list", "invalid_type", []]] }],
    [{}, { errors: [["schedule needs \"cron\": a crontab expression such as \"0 8 * * *\", or a list of them", "missing_field", ["cron"]]] }],
    [[null], { errors: [["expected a mapping with \"cron\", e.g. {cron: \"0 8 * * *\"}, got a list", "invalid_type", []]] }],
    [{ a: {} }, { errors: [["unknown field \"a\" in schedule; allowed: cron", "unknown_field", ["a"]], ["schedule needs \"cron\": a crontab expression such as \"0 8 * * *\", or a list of them", "missing_field", ["cron"]]] }],
  ],
  parseRepos: [
    [null, { errors: [["expected a list of repos, got null", "invalid_type", []]] }],
    [undefined, { value: [] }],
    [-1, { errors: [["expected a list of repos, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a list of repos, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a list of repos, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a list of repos, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a list of repos, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a list of repos, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { value: [] }],
    [{}, { errors: [["expected a list of repos, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a repo: a path or URL, or a mapping with \"local_path\" or \"url\", got null", "invalid_type", [0]]] }],
    [{ a: {} }, { errors: [["expected a list of repos, got a mapping", "invalid_type", []]] }],
  ],
  parseFiles: [
    [null, { errors: [["expected a list of file mappings, got null", "invalid_type", []]] }],
    [undefined, { value: [] }],
    [-1, { errors: [["expected a list of file mappings, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a list of file mappings, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a list of file mappings, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a list of file mappings, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a list of file mappings, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a list of file mappings, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { value: [] }],
    [{}, { errors: [["expected a list of file mappings, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a file mapping: \"local_path[:path]\" or a mapping with \"local_path\" and \"path\", got null", "invalid_type", [0]]] }],
    [{ a: {} }, { errors: [["expected a list of file mappings, got a mapping", "invalid_type", []]] }],
  ],
  parseBackendOptions: [
    [null, { value: null }],
    [undefined, { value: null }],
    [-1, { errors: [["expected a list of backend options, got an integer (-1)", "invalid_type", []]] }],
    [1.5, { errors: [["expected a list of backend options, got a number (1.5)", "invalid_type", []]] }],
    [NaN, { errors: [["expected a list of backend options, got a number (NaN)", "invalid_type", []]] }],
    [true, { errors: [["expected a list of backend options, got a boolean (true)", "invalid_type", []]] }],
    ["", { errors: [["expected a list of backend options, got a string (\"\")", "invalid_type", []]] }],
    ["\u0000", { errors: [["expected a list of backend options, got a string (\"\\u0000\")", "invalid_type", []]] }],
    [[], { value: [] }],
    [{}, { errors: [["expected a list of backend options, got a mapping", "invalid_type", []]] }],
    [[null], { errors: [["expected a mapping such as {type: vastai, min_score: 100}, got null", "invalid_type", [0]]] }],
    [{ a: {} }, { errors: [["expected a list of backend options, got a mapping", "invalid_type", []]] }],
  ],
    };

    for (const [name, cases] of Object.entries(EXPECTED)) {
      it(`${name}: the exact outcome for each value of the wrong type, empty or odd`, () => {
        for (const [value, expected] of cases) assert.deepStrictEqual(outcome(parsers[name], value), expected, `${name}(${String(value)})`);
      });
    }

    const CODES = new Set(["unknown_field", "missing_field", "invalid_type", "invalid_value", "invalid_choice", "invalid_range", "conflict", "invalid_key"]);
    /** True when `subpath` leads into `value` (the last step may be a missing field's name). */
    function leadsInto(value: unknown, subpath: (string | number)[], code: string): boolean {
      let node = value;
      for (const [at, step] of subpath.entries()) {
        const last = at === subpath.length - 1;
        if (node === null || typeof node !== "object") return false;
        if (!Object.prototype.hasOwnProperty.call(node, step)) return last && code === "missing_field";
        node = (node as Record<string | number, unknown>)[step];
      }
      return true;
    }

    it("any value (seeded): the same outcome twice; a refusal names a known code, a path into the value and no raw object", () => {
      for (const [name, parse] of Object.entries(parsers)) {
        fc.assert(
          fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
            const first = outcome(parse, value);
            assert.deepStrictEqual(outcome(parse, value), first, `${name}: a second parse differs`);
            if (!("errors" in first)) return;
            assert.ok(first.errors.length > 0, name);
            for (const [message, code, subpath] of first.errors) {
              assert.ok(CODES.has(code), `${name}: code ${code}`);
              assert.ok(message.length > 0 && !message.includes("[object "), `${name}: message ${JSON.stringify(message)}`);
              assert.ok(leadsInto(value, subpath, code), `${name}: path ${JSON.stringify(subpath)} (${code}) is not in the value`);
            }
          }),
          { numRuns: 300, seed: 18 },
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
