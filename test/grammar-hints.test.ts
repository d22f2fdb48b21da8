/**
 * The hints of the duration and size grammar (config/duration.ts, config/range.ts), exactly: each
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
});
