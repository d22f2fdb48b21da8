/**
 * What every language gets from the checked-in schema (test/fixtures/provider/schema.json, the file
 * the plugin serves): which inputs are secrets (the SDKs of Python, Go, .NET and YAML wrap them, so
 * the engine stores them encrypted), which numbers are integers (`int`, not `float64`), which
 * inputs take outputs (not `plain`), enums where the values are a fixed set, camelCase names
 * (`instance_type` in Python, `InstanceType` in Go) and descriptions without TypeScript code.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "provider", "schema.json"), "utf8")) as PackageSchema;

interface Property {
  type?: string;
  $ref?: string;
  description?: string;
  plain?: boolean;
  secret?: boolean;
  items?: Property;
  additionalProperties?: Property;
}
interface PackageSchema {
  resources: Record<string, { inputProperties: Record<string, Property>; properties: Record<string, Property> }>;
  types: Record<string, { properties?: Record<string, Property>; enum?: { value: string }[] }>;
}

/** Every property of the schema as `where.name` -> property (inputs as `Token.in.name`, outputs `Token.out.name`). */
function everyProperty(): [string, Property][] {
  const found: [string, Property][] = [];
  for (const [token, resource] of Object.entries(SCHEMA.resources)) {
    const short = token.split(":")[2];
    for (const [name, property] of Object.entries(resource.inputProperties)) found.push([`${short}.in.${name}`, property]);
    for (const [name, property] of Object.entries(resource.properties)) found.push([`${short}.out.${name}`, property]);
  }
  for (const [token, type] of Object.entries(SCHEMA.types)) {
    for (const [name, property] of Object.entries(type.properties ?? {})) found.push([`${token.split(":")[2]}.${name}`, property]);
  }
  return found;
}

/** The property, or the numbers of its list or map. */
function valueType(property: Property): string | undefined {
  return (property.items ?? property.additionalProperties ?? property).type;
}

describe("provider schema: what other languages get", () => {
  it("secrets: the configuration, env values, the registry password and the repository token, nothing else", () => {
    const secret = everyProperty().filter(([, property]) => property.secret === true).map(([where]) => where).sort();
    assert.deepEqual(secret, ["DevEnvironment.in.config", "DevEnvironment.in.env", "DevEnvironment.in.registryPassword", "RepoSource.token"]);
  });

  it("integers: counts, ports, sizes in GB of disks and a queued TPU's wait in seconds; memory and prices stay numbers", () => {
    const integers = everyProperty().filter(([, property]) => valueType(property) === "integer").map(([where]) => where).sort();
    assert.deepEqual(integers, [
      "DevEnvironment.in.volumeSizes",
      "OfferGpu.count",
      "OfferSummary.cpus",
      "OfferSummary.diskGb",
      "OfferTpu.chips",
      "OfferTpu.hosts",
      "PortForward.container",
      "PortForward.local",
      "TpuQueuedResource.in.validUntilSeconds",
      "TpuQueuedResource.out.validUntilSeconds",
      "Volume.in.sizeGb",
      "Volume.out.sizeGb",
    ]);
    const numbers = everyProperty().filter(([, property]) => valueType(property) === "number").map(([where]) => where).sort();
    assert.deepEqual(numbers, ["DevEnvironment.in.maxPrice", "DevEnvironment.out.pricePerHour", "OfferGpu.memoryGb", "OfferSummary.memoryGb", "OfferSummary.pricePerHour", "OfferTpu.hbmGb"]);
  });

  it("inputs that take outputs (not plain): the key, CIDRs, secrets, tags, a volume's zone and size", () => {
    const inputs = (token: string) => Object.entries(SCHEMA.resources[token].inputProperties).filter(([, property]) => property.plain !== true).map(([name]) => name).sort();
    assert.deepEqual(inputs("dstack:index:DevEnvironment"), ["allowedCidrs", "config", "registryPassword", "sshPublicKey", "tags"]);
    assert.deepEqual(inputs("dstack:index:Volume"), ["sizeGb", "tags", "zone"]);
    const env = SCHEMA.resources["dstack:index:DevEnvironment"].inputProperties.env;
    assert.deepEqual([env.plain, env.additionalProperties?.plain], [true, undefined], "env: known keys, values that may be outputs");
    assert.equal(SCHEMA.resources["dstack:index:DevEnvironment"].inputProperties.allowedCidrs.items?.plain, undefined);
  });

  it("enums: backends, the spot policy, the AWS and TPU launches and the CPU architecture, as inputs and outputs", () => {
    const refs = everyProperty().filter(([, property]) => property.$ref?.startsWith("#/types/") && SCHEMA.types[property.$ref.slice(8)].enum).map(([where, property]) => `${where} ${property.$ref!.split(":")[2]}`).sort();
    assert.deepEqual(refs, [
      "DevEnvironment.in.awsLaunch AwsLaunch",
      "DevEnvironment.in.backend CloudBackend",
      "DevEnvironment.in.spotPolicy SpotPolicy",
      "DevEnvironment.in.tpuLaunch TpuLaunch",
      "OfferSummary.arch CpuArchitecture",
      "OfferSummary.backend CloudBackend",
      "Volume.in.backend CloudBackend",
      "Volume.out.backend CloudBackend",
    ]);
    assert.deepEqual(SCHEMA.types["dstack:index:CpuArchitecture"].enum?.map((entry) => entry.value), ["x86", "arm"]);
    assert.deepEqual(SCHEMA.resources["dstack:index:DevEnvironment"].inputProperties.backends.items?.type, "string", "backends: a list of names checked by the reader");
  });

  it("names: camelCase everywhere (each SDK derives its own casing from it)", () => {
    const notCamel = everyProperty().map(([where]) => where).filter((where) => !/^[a-z][A-Za-z0-9]*$/.test(where.split(".").at(-1)!));
    assert.deepEqual(notCamel, []);
  });

  it("descriptions: examples are values (JSON or text), not TypeScript", () => {
    const typescript = /requireSecret|readFileSync|\.apply\(|=>|new [A-Z]|\b(const|let) /;
    const offending = everyProperty().filter(([, property]) => typescript.test(property.description ?? "")).map(([where]) => where);
    assert.deepEqual(offending, []);
    const examples = everyProperty().map(([, property]) => /\n\nExample: `(.*)`$/.exec(property.description ?? "")?.[1]).filter((example): example is string => example !== undefined);
    const notJson = examples.filter((example) => {
      try {
        JSON.parse(example);
        return false;
      } catch {
        return true;
      }
    });
    assert.deepEqual(notJson, []);
  });
});
