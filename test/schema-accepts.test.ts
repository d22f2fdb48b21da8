/**
 * The editor schema must not flag what the reader accepts: every bundled example and every valid
 * conformance case validates against the schema (as yaml-language-server would check it), and
 * typical mistakes are flagged. The schema is the one the code makes (`jsonSchema()`), which
 * schema.test.ts holds equal to the committed `schema/dstack.schema.json`: reading the file here
 * would check the old file in a run with UPDATE_GOLDEN=1, which rewrites it later.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { jsonSchema } from "../config/json-schema";

const ROOT = resolve(__dirname, "../..");
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(jsonSchema());

/** What an editor sees: the YAML as plain JSON values (YAML 1.1, as the modeline files are). */
function load(text: string): unknown {
  return parse(text, { version: "1.1" });
}

function errorsOf(text: string): string[] {
  return validate(load(text)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe("the JSON Schema accepts what the reader accepts", () => {
  const examples = readdirSync(resolve(ROOT, "examples"));
  for (const example of examples) {
    it(`accepts examples/${example}/.dstack.yml`, () => {
      assert.deepEqual(errorsOf(readFileSync(resolve(ROOT, "examples", example, ".dstack.yml"), "utf8")), []);
    });
  }

  const cases = readFileSync(resolve(ROOT, "test/fixtures/conformance/dstack-0.18-public.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { id: string; yaml: string; ok: boolean });
  const valid = cases.filter((testCase) => testCase.ok);
  it(`accepts all ${valid.length} valid conformance cases`, () => {
    const rejected = valid.map((testCase) => [testCase.id, errorsOf(testCase.yaml)] as const).filter(([, errors]) => errors.length > 0);
    assert.deepEqual(rejected, []);
  });

  it("flags an unknown key, a misspelt enum value and a missing type", () => {
    assert.ok(errorsOf("type: dev-environment\nspot_polcy: auto\n").some((error) => error.includes("additional properties")));
    assert.ok(errorsOf("type: dev-environment\nspot_policy: on_demand\n").length > 0);
    assert.ok(errorsOf("ide: vscode\n").some((error) => error.includes("required property 'type'")));
  });
});
