/**
 * The package schema the `dstack` provider serves: checked in (test/fixtures/provider/schema.json,
 * regenerate with `UPDATE_GOLDEN=1` and read the diff), the generator's output equal to it, the
 * build's provider/schema.json equal to it too; and the checked-in schema (not the generator's
 * output again) kept in step with the TypeScript args:
 * every member of `DevEnvironmentArgs`/`VolumeArgs` is an input with the same optionality, every
 * output property of the classes is a schema output, every arg is documented with its example
 * (and, when optional, its default), and the plugin's manifest names the package and version.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import * as ts from "typescript";
import { analyzeSchema, PROVIDER_DIR, SCHEMA_FILE, schemaText } from "../../provider/host";
import { QUEUED_TPU_TYPES } from "../../provider/tpu-schema";
import { assertGolden } from "../support/golden";

const ROOT = path.resolve(__dirname, "../../..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "provider", "schema.json");

interface Property {
  type?: string;
  $ref?: string;
  description?: string;
  items?: Property;
  additionalProperties?: Property;
}
interface Schema {
  name: string;
  version: string;
  resources: Record<string, { description?: string; isComponent: boolean; inputProperties: Record<string, Property>; requiredInputs: string[]; properties: Record<string, Property>; required: string[] }>;
  types: Record<string, { description?: string; type: string; properties?: Record<string, Property>; required?: string[]; enum?: { name: string; value: string }[] }>;
}

/** The members of an interface in a source file: name -> optional. */
function interfaceMembers(file: string, name: string): Map<string, boolean> {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const members = new Map<string, boolean>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== name) return;
    for (const member of node.members) {
      if (ts.isPropertySignature(member) && ts.isIdentifier(member.name)) members.set(member.name.text, member.questionToken !== undefined);
    }
  });
  assert.ok(members.size > 0, `no interface ${name} in ${file}`);
  return members;
}

describe("provider: the package schema", function () {
  /** The checked-in schema, read before each test (after the first one may have rewritten it). */
  let schema: Schema;
  beforeEach(() => {
    schema = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Schema;
  });

  it("the generator makes the checked-in schema (test/fixtures/provider/schema.json)", async () => {
    assertGolden(FIXTURE, schemaText(await analyzeSchema()), "the schema the generator makes");
  });

  it("the build wrote the checked-in schema for the plugin to serve (provider/schema.json)", () => {
    assert.equal(fs.readFileSync(SCHEMA_FILE, "utf8"), fs.readFileSync(FIXTURE, "utf8"), "provider/schema.json is not the checked-in schema: npm run build");
  });

  it("names the package dstack, at the npm package's version, with the type tokens of DESIGN.md", () => {
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(schema.name, "dstack");
    assert.equal(schema.version, rootPackage.version);
    assert.deepEqual(Object.keys(schema.resources).sort(), ["dstack:index:DevEnvironment", "dstack:index:TpuQueuedResource", "dstack:index:Volume"]);
    // The components, and the plugin's one custom resource (a queued TPU: provider/tpu-resource.ts).
    assert.deepEqual(Object.entries(schema.resources).map(([token, resource]) => `${token} ${resource.isComponent === true}`).sort(), [
      "dstack:index:DevEnvironment true",
      "dstack:index:TpuQueuedResource false",
      "dstack:index:Volume true",
    ]);
  });

  const ARGS = [
    { token: "dstack:index:DevEnvironment", file: "components/args.ts", args: "DevEnvironmentArgs" },
    { token: "dstack:index:Volume", file: "components/volume-args.ts", args: "VolumeArgs" },
  ];
  for (const { token, file, args } of ARGS) {
    it(`${token}: one input per member of ${args}, required exactly when the member is`, () => {
      const members = interfaceMembers(file, args);
      const resource = schema.resources[token];
      assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...members.keys()].sort());
      assert.deepEqual([...resource.requiredInputs].sort(), [...members].filter(([, optional]) => !optional).map(([name]) => name).sort());
    });

    it(`${token}: every input has a description, an example, and a default when optional`, () => {
      const resource = schema.resources[token];
      const required = new Set(resource.requiredInputs);
      for (const [name, property] of Object.entries(resource.inputProperties)) {
        const description = property.description ?? "";
        assert.match(description, /^[A-Z`]/, `${token} ${name}: no prose description`);
        assert.match(description, /\n\nExample: /, `${token} ${name}: no example`);
        if (!required.has(name)) assert.match(description, /\n\nDefault: /, `${token} ${name}: no default`);
      }
      for (const [name, property] of Object.entries(resource.properties)) {
        assert.ok((property.description ?? "").length > 10, `${token} output ${name}: no description`);
      }
    });
  }

  it("every object type's properties match their TypeScript interface", () => {
    const files = ["components/args.ts", "components/cloud-plan.ts", "components/offer-summary.ts", "components/volume-args.ts", "components/connection.ts"];
    for (const [token, type] of Object.entries(schema.types)) {
      // The queued TPU's types are written by hand (provider/tpu-schema.ts): the next test.
      if (type.type !== "object" || token in QUEUED_TPU_TYPES) continue;
      const name = token.split(":")[2];
      const file = files.find((candidate) => fs.readFileSync(path.join(ROOT, candidate), "utf8").includes(`export interface ${name} `));
      assert.ok(file, `no source of ${token}`);
      const members = interfaceMembers(file, name);
      assert.deepEqual(Object.keys(type.properties ?? {}).sort(), [...members.keys()].sort(), token);
      assert.deepEqual([...(type.required ?? [])].sort(), [...members].filter(([, optional]) => !optional).map(([name]) => name).sort(), token);
    }
  });

  it("dstack:index:TpuQueuedResource: one input per member of QueuedTpuInputs, required exactly when the member is; outputs the inputs and three more; its types as the inputs' objects", () => {
    const resource = schema.resources["dstack:index:TpuQueuedResource"];
    const members = interfaceMembers("components/gcp/tpu-request.ts", "QueuedTpuInputs");
    assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...members.keys()].sort());
    assert.deepEqual([...resource.requiredInputs].sort(), [...members].filter(([, optional]) => !optional).map(([name]) => name).sort());
    assert.deepEqual(Object.keys(resource.properties).sort(), [...members.keys(), "publicIp", "queuedResource", "state"].sort());
    const shape = (token: string) => `${Object.keys(schema.types[token].properties ?? {}).join(",")} required ${(schema.types[token].required ?? []).join(",")}`;
    assert.deepEqual(Object.keys(QUEUED_TPU_TYPES).map(shape), [
      "enableExternalIps,network,subnetwork required enableExternalIps,network",
      "email,scopes required email,scopes",
      "sourceDisk,mode required sourceDisk,mode",
    ]);
  });

  it("every resource and type has a description (the class's, the interface's or the enum's JSDoc)", () => {
    const undocumented = [...Object.entries(schema.resources), ...Object.entries(schema.types)]
      .filter(([, entry]) => ((entry as { description?: string }).description ?? "").length < 20)
      .map(([token]) => token);
    assert.deepEqual(undocumented, []);
  });

  it("the enums are the values the readers accept", () => {
    assert.deepEqual(schema.types["dstack:index:SpotPolicy"].enum?.map((member) => member.value), ["spot", "on-demand", "auto"]);
    assert.deepEqual(schema.types["dstack:index:CloudBackend"].enum?.map((member) => member.value), ["aws", "gcp"]);
  });

  it("the plugin folder: PulumiPlugin.yaml (nodejs), package.json (dstack, same version, main index.js) whose entry is a function", () => {
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(fs.readFileSync(path.join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8"), "runtime: nodejs\n");
    const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.name, "dstack");
    assert.equal(manifest.version, rootPackage.version);
    assert.equal(manifest.main, "index.js");
    assert.equal(manifest.dependencies, undefined, "no dependencies of its own: a second @pulumi/pulumi would split the runtime");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require(path.join(PROVIDER_DIR, "index.js")) as unknown;
    assert.equal(typeof entry, "function");
  });
});
