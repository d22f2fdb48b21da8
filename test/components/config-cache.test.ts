/**
 * Configurations read once per text (components/config-cache.ts): equal text and file are read
 * once, anything else by itself, every caller gets its own copy, and only valid plain results are kept.
 */
import { strict as assert } from "node:assert";
import { ConfigCache, isPlainData, MAX_CACHED_CONFIGS, readConfigOnce } from "../../components/config-cache";
import { readConfigText } from "../../config/read";

const TEXT = "type: dev-environment\nide: vscode\nenv:\n  - HF_TOKEN\nresources:\n  gpu: 24GB\n";

/** A cache whose reader (`readConfigText`) counts its calls. */
function counting(): { cache: ConfigCache; calls: string[] } {
  const calls: string[] = [];
  return { calls, cache: new ConfigCache((text, file) => (calls.push(`${file}: ${text.length}`), readConfigText(text, file))) };
}

describe("configurations read once", () => {
  it("equal text and file: read once, the same result as reading, a copy for each caller", () => {
    const { cache, calls } = counting();
    const text = `${TEXT}name: once-a\n`;
    const first = cache.get(text, "a.yml");
    const second = cache.get(text, "a.yml");
    assert.deepEqual(calls, [`a.yml: ${text.length}`]);
    assert.deepEqual(second, readConfigText(text, "a.yml"));
    assert.deepEqual(second, first);
    assert.ok(second.ok && first.ok);
    assert.notEqual(second.spec, first.spec);
    first.spec.env.HF_TOKEN = "changed";
    first.spec.init.push("changed");
    const third = cache.get(text, "a.yml");
    assert.ok(third.ok);
    assert.deepEqual(third.spec, (readConfigText(text, "a.yml") as { spec: unknown }).spec, "a caller's change reaches no other caller");
  });

  it("another text or another file: read by itself", () => {
    const { cache, calls } = counting();
    cache.get(`${TEXT}name: once-b\n`, "b.yml");
    cache.get(`${TEXT}name: once-c\n`, "b.yml");
    cache.get(`${TEXT}name: once-b\n`, "other.yml");
    cache.get(`${TEXT}name: once-b\n`, "b.yml");
    cache.get(`${TEXT}name: once-c\n`, "b.yml");
    assert.equal(calls.length, 3);
  });

  it("an invalid configuration is read again each time (and answered as reading does)", () => {
    const { cache, calls } = counting();
    const text = "type: dev-environment\nide: vscode\nresources:\n  gpu: 24GB\nbogus: 1\n";
    const first = cache.get(text, "bad.yml");
    assert.equal(first.ok, false);
    assert.deepEqual(cache.get(text, "bad.yml"), first);
    assert.equal(calls.length, 2);
  });

  it("a result that is not plain data is not kept", () => {
    class Special {
      constructor(readonly value: string) {}
    }
    let calls = 0;
    const cache = new ConfigCache((text, file) => {
      calls++;
      const result = readConfigText(text, file);
      if (result.ok) (result.spec as unknown as Record<string, unknown>).special = new Special("x");
      return result;
    });
    const text = `${TEXT}name: once-special\n`;
    const first = cache.get(text, "s.yml");
    const second = cache.get(text, "s.yml");
    assert.equal(calls, 2);
    assert.ok(first.ok && second.ok);
    assert.ok((second.spec as unknown as Record<string, unknown>).special instanceof Special);
  });

  it(`keeps at most ${MAX_CACHED_CONFIGS} configurations, then starts over`, () => {
    const { cache, calls } = counting();
    for (let i = 0; i < MAX_CACHED_CONFIGS; i++) cache.get(`${TEXT}name: bound-${i}\n`, "n.yml");
    cache.get(`${TEXT}name: bound-0\n`, "n.yml");
    assert.equal(calls.length, MAX_CACHED_CONFIGS, "all kept");
    cache.get(`${TEXT}name: bound-new\n`, "n.yml");
    cache.get(`${TEXT}name: bound-0\n`, "n.yml");
    assert.equal(calls.length, MAX_CACHED_CONFIGS + 2, "the cache started over");
  });

  it("the process's cache: a copy for each caller", () => {
    const text = `${TEXT}name: once-shared\n`;
    const first = readConfigOnce(text, "shared.yml");
    const second = readConfigOnce(text, "shared.yml");
    assert.deepEqual(second, readConfigText(text, "shared.yml"));
    assert.ok(first.ok && second.ok);
    assert.notEqual(second.spec, first.spec);
  });

  it("plain data: objects, arrays, strings, numbers, booleans, null and undefined; nothing else", () => {
    const shared = [1];
    assert.equal(isPlainData({ a: [1, "x", true, null, undefined, { b: -0 }], c: shared, d: shared }), true);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.equal(isPlainData(cycle), true);
    const others: [string, unknown][] = [
      ["a date", new Date(0)], ["a map", new Map()], ["no prototype", Object.create(null)], ["frozen", Object.freeze({})],
      ["a function", { f: () => 1 }], ["a symbol", { s: Symbol("s") }], ["a symbol key", { [Symbol("k")]: 1 }], ["a bigint", { n: 1n }],
    ];
    for (const [what, value] of others) assert.equal(isPlainData(value), false, what);
    assert.equal(isPlainData(Object.defineProperty({}, "g", { get: () => 1, enumerable: true })), false);
    assert.equal(isPlainData(Object.defineProperty({}, "h", { value: 1, enumerable: false })), false);
  });
});
