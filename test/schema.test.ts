/**
 * The committed JSON Schema (`schema/dstack.schema.json`, for editors) is exactly what
 * `dstack-pulumi schema` prints, covers every field, and accepts the keys of the bundled examples.
 * `UPDATE_GOLDEN=1 npm test` rewrites the committed file from the code.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { FIELD_NAMES } from "../config/fields";
import { jsonSchema } from "../config/json-schema";
import { assertGolden } from "./support/golden";

const ROOT = path.resolve(__dirname, "../..");
const SCHEMA_FILE = path.join(ROOT, "schema", "dstack.schema.json");
const EXAMPLES_DIR = path.join(ROOT, "examples");

type JsonObject = Record<string, unknown>;

function exampleFiles(): string[] {
  return fs
    .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES_DIR, entry.name, ".dstack.yml")))
    .map((entry) => path.join(EXAMPLES_DIR, entry.name, ".dstack.yml"))
    .sort();
}

/** The object schema under `schema` (directly, or the object branch of an anyOf/oneOf), if any. */
function objectSchema(schema: unknown): JsonObject | undefined {
  if (schema === null || typeof schema !== "object") return undefined;
  const node = schema as JsonObject;
  if (node.properties && typeof node.properties === "object") return node;
  for (const key of ["anyOf", "oneOf"]) {
    const branches = node[key];
    if (Array.isArray(branches)) {
      for (const branch of branches) {
        const found = objectSchema(branch);
        if (found) return found;
      }
    }
  }
  return undefined;
}

describe("schema/dstack.schema.json", () => {
  const generatedText = JSON.stringify(jsonSchema(), null, 2) + "\n";

  it("is exactly the output of `dstack-pulumi schema` (regenerate with UPDATE_GOLDEN=1 npm test)", () => {
    assertGolden(SCHEMA_FILE, generatedText, "the JSON Schema the code makes");
  });

  it("is a draft 2020-12 object schema that rejects unknown keys and requires type", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as JsonObject;
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(schema.type, "object");
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ["type"]);
    const type = (schema.properties as Record<string, JsonObject>).type;
    assert.equal(type?.const, "dev-environment");
  });

  it("has one property per field, in the order of FIELD_NAMES", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as JsonObject;
    assert.deepEqual(Object.keys(schema.properties as JsonObject), FIELD_NAMES);
  });

  it("describes every field", () => {
    const properties = (JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as JsonObject).properties as Record<string, JsonObject>;
    const undocumented = FIELD_NAMES.filter((name) => typeof properties[name]?.description !== "string");
    assert.deepEqual(undocumented, []);
  });

  describe("bundled examples", () => {
    const files = exampleFiles();

    it("exist (at least five)", () => {
      assert.ok(files.length >= 5, `found ${files.length} examples in ${EXAMPLES_DIR}`);
    });

    for (const file of files) {
      const name = path.relative(ROOT, file);
      it(`${name}: points at the schema and uses only its keys`, () => {
        const text = fs.readFileSync(file, "utf8");
        assert.match(text, /^# /, "starts with a comment");
        assert.match(text, /^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/dstack\.schema\.json$/m);
        const properties = (JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as JsonObject).properties as Record<string, unknown>;
        const document = parseYaml(text) as JsonObject;
        assert.deepEqual(Object.keys(document).filter((key) => !(key in properties)), []);
        for (const [key, value] of Object.entries(document)) {
          const nested = objectSchema(properties[key]);
          if (!nested || value === null || typeof value !== "object" || Array.isArray(value)) continue;
          const allowed = nested.properties as JsonObject;
          const unknown = Object.keys(value).filter((inner) => !(inner in allowed));
          assert.deepEqual(unknown, [], `${key} has keys the schema does not list`);
        }
      });
    }
  });
});
