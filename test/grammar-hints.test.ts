/**
 * The hints of the duration, size and GPU grammar (config/duration.ts, range.ts, gpu.ts), exactly: each
 * hint for the input it is written for, none for an input that only contains such a text, and the
 * field path of a bound. Found unpinned by a mutation run of config/ (the messages were tested, the
 * hints and edge values not).
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../config/read";
import type { ConfigError } from "../config/issues";

const DURATION = 'use seconds (90) or a number with a unit s, m, h, d or w ("30m", "2h", "1d")';
const SIZE = "use a number of GB or a number with MB, GB or TB (512MB, 24GB, 1.5TB)";

/** The first issue of a configuration with `body`, as [path, message, hint]. */
function issue(body: string): [string, string, string | null] {
  try {
    parseConfig(`type: dev-environment\nide: vscode\n${body}\n`, "x.dstack.yml");
  } catch (error) {
    const first = (error as ConfigError).issues[0];
    return [first.path, first.message, first.hint ?? null];
  }
  throw new Error(`expected an error for ${body}`);
}
const duration = (text: string, hint: string | null) => assert.deepEqual(issue(`max_duration: ${text}`), ["max_duration", `cannot parse the duration ${JSON.stringify(text.replace(/^"|"$/g, ""))}: ${DURATION}`, hint]);
const size = (text: string, hint: string | null) => assert.deepEqual(issue(`resources:\n  shm_size: ${text}`), ["resources.shm_size", `invalid size ${JSON.stringify(text)}: ${SIZE}`, hint]);

describe("config: the hints of durations and sizes", () => {
  it("durations: upper-case units, compound durations, fractions, OFF, each with its hint", () => {
    duration("12H", 'Units are lower-case: "12h"');
    duration("2 H", 'Units are lower-case: "2 h"');
    duration("12h30m", 'Compound durations are not supported: give one unit, e.g. "90m"');
    duration("10.25 h", 'Use a whole number, e.g. "90m" instead of "1.5h"');
    duration("1.5h", 'Use a whole number, e.g. "90m" instead of "1.5h"');
    duration('"OFF"', 'Did you mean "off"?');
    duration('"Off"', 'Did you mean "off"?');
  });

  it("durations: no hint for text that only contains such a form", () => {
    for (const text of ["x2H", "2Hx", "a1h30m", "x1.5h", "1.5hx", "1.5x", "oFF"]) duration(text, null);
  });

  it("durations: infinity is no duration; true is 1 second", () => {
    assert.deepEqual(issue("max_duration: .inf"), ["max_duration", `expected a duration, ${DURATION.replace("use ", "")}; got inf`, null]);
    assert.equal(parseConfig("type: dev-environment\nide: vscode\nmax_duration: true\n").max_duration, 1);
    assert.equal(parseConfig("type: dev-environment\nide: vscode\nidle_duration: true\n").idle_duration, null);
  });

  it("sizes: binary units, kilobytes, a range where a size goes, each with its hint", () => {
    size("16GiB", 'Units are binary already and spelt MB, GB or TB: write "16GB"');
    size("2 t", 'Units are binary already and spelt MB, GB or TB: write "2TB"');
    size("12.5kb", "The smallest unit is MB");
    size("512kb", "The smallest unit is MB");
    size("1GB..2GB", "This value is a single size, not a range");
  });

  it("sizes: no hint for text that only contains such a form; true is 1GB", () => {
    for (const text of ["x16gib", "16gibx", "x512kb", "512kbx", "512k"]) size(text, null);
    assert.equal(parseConfig("type: dev-environment\nide: vscode\nresources:\n  shm_size: true\n").resources.shm_size, 1);
  });

  it("a range's bounds have their own path", () => {
    assert.deepEqual(issue("resources:\n  cpu: x..8"), ["resources.cpu.min", 'expected an integer, got "x"', null]);
    assert.deepEqual(issue("resources:\n  cpu: 2..x"), ["resources.cpu.max", 'expected an integer, got "x"', null]);
    assert.deepEqual(issue("resources:\n  memory: {min: 8GB, max: x}"), ["resources.memory.max", `invalid size "x": ${SIZE}`, null]);
  });

  it("ranges written as mappings, lists and with two \"..\": the exact errors", () => {
    assert.deepEqual(issue("resources:\n  memory: {minimum: 8GB}"), ["resources.memory.minimum", 'unknown field "minimum" in a range; allowed: min, max', null]);
    assert.deepEqual(issue("resources:\n  memory: {min: null, max: null}"), ["resources.memory", "invalid empty range: give at least one of min and max", null]);
    assert.deepEqual(issue("resources:\n  memory: {}"), ["resources.memory", "invalid empty range: give at least one of min and max", null]);
    assert.deepEqual(issue("resources:\n  memory: [8GB]"), ["resources.memory", "expected a value or a range such as 2..8, got a list", null]);
    assert.deepEqual(issue('resources:\n  memory: "8GB..x..9"'), ["resources.memory", 'invalid range "8GB..x..9": a range has one "..", as in 2..8, 2.. or ..8', null]);
  });

  it("GPU specs: each conflict, empty tokens, and every field's path, with the hint where one helps", () => {
    const GPU = 'a GPU spec such as "A100:80GB:2", "24GB..:2" or a mapping with name, count, memory';
    const cases: [string, string, string, string | null][] = [
      ['"A100::2"', "resources.gpu", 'GPU spec "A100::2" has an empty token: use tokens such as A100, 80GB, 2 or nvidia, joined by ":"', null],
      ["A100,,L4", "resources.gpu", 'GPU name cannot be empty in "A100,,L4": separate names with single commas', null],
      ["A100:H100", "resources.gpu", 'GPU spec name conflict in "A100:H100": give at most one name token', 'To accept any of these GPUs, separate the names with commas: "A100,H100"'],
      ["A100:H100,xyz", "resources.gpu", 'GPU spec name conflict in "A100:H100,xyz": give at most one name token', null],
      ["nvidia:amd", "resources.gpu", 'GPU spec vendor conflict in "nvidia:amd": give at most one vendor token', null],
      ["A100:80GB:40GB", "resources.gpu", 'GPU spec memory conflict in "A100:80GB:40GB": give at most one memory token', null],
      ["A100:2:4", "resources.gpu", 'GPU spec count conflict in "A100:2:4": give at most one count token', null],
      ["{vendor: 3}", "resources.gpu.vendor", "unsupported GPU vendor 3: expected one of nvidia, amd, google or tpu", null],
      ["{vendor: nvida}", "resources.gpu.vendor", '"nvida" is not a valid GPU vendor; allowed: nvidia, amd, google, tpu (case-insensitive)', 'Did you mean "nvidia"?'],
      ["{name: A100, count: null}", "resources.gpu.count", "count cannot be null: give a count such as 1 or 1..2", null],
      ["{count: x}", "resources.gpu.count", 'expected an integer, got "x"', null],
      ["{memory: x}", "resources.gpu.memory", `invalid size "x": ${SIZE}`, null],
      ["{total_memory: x}", "resources.gpu.total_memory", `invalid size "x": ${SIZE}`, null],
      ["{name: [A100, {a: 1}]}", "resources.gpu.name[1]", "expected a string, got a mapping", null],
      ["{compute_capability: {a: 1}}", "resources.gpu.compute_capability", 'expected a compute capability such as 8.0 or "7.5", got a mapping', null],
      ['{compute_capability: "8.x"}', "resources.gpu.compute_capability[1]", 'invalid compute capability "8.x": expected major.minor, such as 8.0', null],
      ["2.5", "resources.gpu", `expected ${GPU}, got a number (2.5)`, null],
      ["3.0", "resources.gpu", `expected ${GPU}, got a number (3.0)`, null],
      ["[A100]", "resources.gpu", `expected ${GPU}, got a list`, null],
    ];
    for (const [gpu, path, message, hint] of cases) assert.deepEqual(issue(`resources:\n  gpu: ${gpu}`), [path, message, hint], gpu);
  });
});
