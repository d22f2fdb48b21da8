/**
 * The recent dstack fields utilization_policy, tags and backend_options.
 *
 * Expected values of the `conf-*` cases are the `expect` values of the conformance vectors (what
 * recent dstack returns); error texts are ours.
 */
import assert from "node:assert/strict";
import { parseBackendOptions } from "../../config/backend-options";
import { PyFloat } from "../../config/py-values";
import { parseTags } from "../../config/tags";
import { parseUtilizationPolicy } from "../../config/utilization-policy";
import { rejects } from "./rejects";

describe("recent dstack fields", () => {
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
});
