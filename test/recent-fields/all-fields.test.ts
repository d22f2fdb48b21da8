/**
 * All the recent dstack fields at once (user, shell, repos, files, fleets, instances, schedule, tags,
 * backend_options, utilization_policy, priority): every problem of a value reported together, and
 * hostile input to each parser.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
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
