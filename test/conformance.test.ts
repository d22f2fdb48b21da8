/**
 * dstack 0.18.2x conformance: every case of `dstack-0.18-public.jsonl` (produced by running
 * dstack's own parser) must agree with `validate --json`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { FIELDS, FIELD_NAMES } from "../config/fields";
import { toDstackJson } from "../config/normalize";
import { readConfigText } from "../config/read";
import { jsonMismatch } from "./support/json-match";

interface ConformanceCase {
  id: string;
  yaml: string;
  ok: boolean;
  expect?: Record<string, unknown>;
  why?: string;
}

const FIXTURE = resolve(__dirname, "../../test/fixtures/conformance/dstack-0.18-public.jsonl");
const cases: ConformanceCase[] = readFileSync(FIXTURE, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

/** Fields dstack added after 0.18.2x appear as extra top-level keys. */
const LATER_FIELDS = new Set(FIELD_NAMES.filter((name) => FIELDS[name].since));

describe(`conformance with dstack 0.18.2x (${cases.length} cases of dstack-0.18-public.jsonl)`, () => {
  it("has the 64 cases of the shared fixture", () => assert.equal(cases.length, 64));
  for (const testCase of cases) {
    it(`${testCase.id}: ${testCase.ok ? "normalises as dstack does" : "is rejected"}`, () => {
      const result = readConfigText(testCase.yaml, `${testCase.id}.dstack.yml`);
      if (!testCase.ok) {
        assert.equal(result.ok, false, `dstack rejects it: ${testCase.why}`);
        if (!result.ok) assert.ok(result.issues.every((issue) => issue.line >= 1));
        return;
      }
      assert.ok(result.ok, `dstack accepts it, we said: ${!result.ok && JSON.stringify(result.issues)}`);
      const mismatch = jsonMismatch(testCase.expect, toDstackJson(result.spec), "$", (path, key) => path === "$" && LATER_FIELDS.has(key as never));
      assert.equal(mismatch, null);
    });
  }
});
