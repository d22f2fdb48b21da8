/**
 * Property-based tests of the reader (fast-check, fixed seed 42 so CI is reproducible):
 *   1. every generated VALID dev-environment configuration (test/arbitraries/dev-environment.ts),
 *      written in many YAML styles, is accepted and read as expected;
 *   2. mutated configurations (test/arbitraries/mutations.ts: broken text, or values of the wrong
 *      type, odd keys, anchors and aliases) and random text never make the reader throw, and every
 *      issue it reports is well-formed, positioned inside the text and sorted;
 *   3. reading is deterministic;
 *   plus line endings, alias bombs, and the minimal counterexamples the properties found.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { checkIssues, checkValid, read, report } from "./arbitraries/checks";
import { validConfigArb } from "./arbitraries/dev-environment";
import { applyDocOps, applyTextOps, docOpsArb, textOpsArb } from "./arbitraries/mutations";
import { styleArb, toYaml, toYamlUnchecked } from "./arbitraries/yaml-writer";

const SEED = 42;

/** A valid configuration's text broken by text edits. */
const mutatedTextArb = fc.tuple(validConfigArb, styleArb, textOpsArb).map(([config, style, ops]) => applyTextOps(toYaml(config.doc, style), ops));
/** A valid configuration with values of the wrong type, odd keys, anchors and aliases. */
const mutatedDocArb = fc.tuple(validConfigArb, styleArb, docOpsArb).map(([config, style, ops]) => toYamlUnchecked(applyDocOps(config.doc, ops), style));
/** Text that is not a configuration at all. */
const randomTextArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.array(fc.constantFrom("type: dev-environment", "resources:", "  gpu: A100", "- x", "  - y", ":", "&a", "*a", "? x", "---", "{", "[", "'", '"', "\t", "#"), { maxLength: 12 }).map((lines) => lines.join("\n")),
);

describe("property: the reader", function (this: Mocha.Suite) {
  it("accepts every valid dev-environment configuration and reads it as written", () => {
    fc.assert(
      fc.property(validConfigArb, styleArb, (config, style) => checkValid(config, style)),
      { seed: SEED, numRuns: 800 },
    );
  });

  it("never throws on mutated text, and positions every issue inside the text", () => {
    fc.assert(
      fc.property(mutatedTextArb, (text) => checkIssues(text, read(text))),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("never throws on documents with wrong types, odd keys and aliases, and reports well-formed issues", () => {
    fc.assert(
      fc.property(mutatedDocArb, (text) => checkIssues(text, read(text))),
      { seed: SEED, numRuns: 700 },
    );
  });

  it("never throws on random text", () => {
    fc.assert(
      fc.property(randomTextArb, (text) => checkIssues(text, read(text))),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("is deterministic: the same text gives deep-equal results, whatever was read in between", () => {
    const textArb = fc.oneof(
      fc.tuple(validConfigArb, styleArb).map(([config, style]) => toYaml(config.doc, style)),
      mutatedTextArb,
      mutatedDocArb,
    );
    fc.assert(
      fc.property(textArb, textArb, (text, other) => {
        const first = read(text);
        read(other);
        const second = read(text);
        try {
          assert.deepStrictEqual(second, first);
        } catch (error) {
          throw new Error(`two reads differ: ${(error as Error).message}\n${report(text)}`);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  // ("\r\r\n" is two line breaks for PyYAML, so it is not the same document as "\n".)
  for (const [name, eol] of [["CRLF", "\r\n"], ["CR (classic Mac OS)", "\r"]] as const) {
    it(`reads ${name} line endings as LF, as PyYAML does`, () => {
      fc.assert(
        fc.property(validConfigArb, (config) => {
          const text = toYaml(config.doc);
          const converted = text.replace(/\n/g, eol);
          const expected = read(text);
          const result = read(converted);
          try {
            assert.ok(result.ok, "rejected");
            assert.deepStrictEqual(result.spec, (expected as { spec: unknown }).spec);
          } catch (error) {
            throw new Error(`${JSON.stringify(eol)} line endings read differently: ${(error as Error).message}\n${report(converted, result)}`);
          }
        }),
        { seed: SEED, numRuns: 150 },
      );
    });
  }

  it("stops alias bombs with one too_many_aliases issue and still reads the keys after the bomb", () => {
    // Each run expands 100k nodes (~0.2 s), so few runs and no shrinking.
    const bombArb = fc.tuple(validConfigArb, fc.constantFrom([10, 5], [10, 6], [8, 6], [7, 7], [20, 4]));
    fc.assert(
      fc.property(bombArb, ([config, [width, depth]]) => {
        const chain = [`l0: &l0 [${Array(width).fill("lol").join(", ")}]`];
        for (let level = 1; level <= depth; level++) chain.push(`l${level}: &l${level} [${Array(width).fill(`*l${level - 1}`).join(", ")}]`);
        const text = `${chain.join("\n")}\n${toYaml(config.doc)}`;
        const result = read(text);
        checkIssues(text, result);
        const bombKeys = new Set(chain.map((_, level) => `l${level}`));
        const issues = result.ok ? [] : result.issues;
        const unexpected = issues.filter((issue) => issue.code !== "too_many_aliases" && !(issue.code === "unknown_field" && bombKeys.has(issue.path)));
        const limit = issues.filter((issue) => issue.code === "too_many_aliases");
        if (limit.length !== 1 || unexpected.length > 0) {
          throw new Error(`expected one too_many_aliases issue and unknown_field for ${[...bombKeys].join(", ")} only\n${report(text, issues)}`);
        }
      }),
      { seed: SEED, numRuns: 8, endOnFailure: true },
    );
  });
});

/**
 * The minimal counterexamples the properties found, kept as examples so each is reported on its
 * own (a property stops at its first failure).
 */
describe("property counterexamples", () => {
  const wellFormed: Array<[string, string]> = [
    ["a mapping with its own toString as the type (String() throws)", "type: {toString: 1}\n"],
    ["a list holding such a mapping as the type", "type: [{toString: 1}]\n"],
    ["a mapping with its own toString as the CPU arch", "type: dev-environment\nresources: {cpu: {arch: {toString: 1}}}\n"],
    ["an unknown top-level __proto__ key (hint must be a string)", "__proto__: 1\ntype: dev-environment\n"],
    ["an unknown top-level constructor key (hint must be a string)", "constructor: 1\ntype: dev-environment\n"],
    ["an unknown top-level toString key (hint must be a string)", "toString: 1\ntype: dev-environment\n"],
    ["an empty top-level key (path must not be empty)", '"": 1\ntype: dev-environment\n'],
    ["a list as a top-level key (a document-level invalid_key)", "[1]: 5\ntype: dev-environment\n"],
    ["a bad !!int tag on the document (a document-level unsupported_tag)", "!!int x\n"],
    ["an unknown tag on the document (a document-level unsupported_tag)", "!K\n"],
    ["positions after a scalar token in error recovery (line counter misses a newline)", "''t\ny\n  :"],
    ["positions after an unclosed flow collection", "{],\ny:\n[y,"],
  ];
  for (const [what, text] of wellFormed) {
    it(`reports well-formed issues for ${what}: ${JSON.stringify(text)}`, () => checkIssues(text, read(text)));
  }

  it("reads the keys after an alias bomb as written (not as None), and finds type", () => {
    const levels = ["a", "b", "c", "d", "e"];
    const bomb = levels.map((name, level) => `${name}: &${name} [${Array(10).fill(level === 0 ? "x" : `*${levels[level - 1]}`).join(",")}]`);
    const text = `${bomb.join("\n")}\ntype: dev-environment\nide: vscode\n`;
    const result = read(text);
    checkIssues(text, result);
    const issues = result.ok ? [] : result.issues;
    const wrong = issues.filter((issue) => !(issue.code === "too_many_aliases" || (issue.code === "unknown_field" && levels.includes(issue.path))));
    assert.deepEqual(wrong, [], report(text, issues));
  });
});
