/**
 * examples/yaml: a Pulumi YAML program that uses the components through the provider. Checked
 * against the served schema (types, properties, required inputs, output paths) and run through the
 * provider's construct path under mocks, as the YAML language host would run it.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { DstackProvider, PROVIDER_DIR } from "../../provider/host";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { asConstructInputs } from "../support/construct-inputs";
import { pulumiMocks, settled, valueOf } from "../support/pulumi-mocks";
import { readYamlProgram, referencesOf, runYamlProgram } from "../support/yaml-program";

const ROOT = path.resolve(__dirname, "../../..");
const FOLDER = path.join(ROOT, "examples", "yaml");

interface Schema {
  resources: Record<string, { inputProperties: Record<string, { $ref?: string }>; requiredInputs: string[]; properties: Record<string, { $ref?: string }> }>;
  types: Record<string, { properties?: Record<string, unknown> }>;
}

describe("examples/yaml through the provider", function () {
  const program = readYamlProgram(path.join(FOLDER, "Pulumi.yaml"));
  let provider: DstackProvider;
  let schema: Schema;

  before(async () => {
    provider = new DstackProvider();
    schema = JSON.parse(await provider.getSchema()) as Schema;
  });

  it("is a YAML program whose dstack package is this repository's provider folder", () => {
    assert.equal(program.runtime, "yaml");
    assert.equal(path.resolve(FOLDER, program.packages!.dstack), PROVIDER_DIR);
    assert.ok(fs.existsSync(path.join(FOLDER, ".dstack.yml")));
  });

  it("uses only types, properties and outputs the schema has, and every required input", () => {
    for (const [name, resource] of Object.entries(program.resources)) {
      const declared = schema.resources[resource.type];
      assert.ok(declared, `${name}: ${resource.type} is not in the schema`);
      for (const property of Object.keys(resource.properties)) assert.ok(property in declared.inputProperties, `${name}.${property}`);
      for (const required of declared.requiredInputs) assert.ok(required in resource.properties, `${name} lacks ${required}`);
    }
    const references = [...referencesOf(program.resources), ...referencesOf(program.outputs)].filter((reference) => reference.length > 1);
    assert.ok(references.length >= 6);
    for (const [resourceName, property, field] of references) {
      const declared = schema.resources[program.resources[resourceName].type];
      const output = declared.properties[property];
      assert.ok(output, `\${${resourceName}.${property}} is not an output`);
      if (field !== undefined) assert.ok(field in (schema.types[output.$ref!.replace("#/types/", "")].properties ?? {}), `${property}.${field}`);
    }
  });

  it("runs under mocks: the Volume, then the dev environment in its zone, attached to it", async () => {
    const recorder = await pulumiMocks();
    recorder.reset();
    answerInvokes(recorder);
    const config = { sshPublicKey: SSH_KEY, allowedCidr: "203.0.113.4/32", hfToken: "hf-yaml-sentinel" };
    const outputs = await runYamlProgram(program, FOLDER, config, async (name, type, args) => (await provider.construct(name, type, await asConstructInputs(args), {})).state as Record<string, unknown>);
    const values: Record<string, unknown> = {};
    for (const [key, output] of Object.entries(outputs)) values[key] = await valueOf(output);
    await settled();
    assert.deepEqual(values, {
      instanceType: "g6.xlarge",
      pricePerHour: 0.8048,
      sshCommand: "ssh -J ubuntu@203.0.113.10 -p 10022 -o HostKeyAlias=yaml-dev root@localhost",
      ideUrl: "vscode://vscode-remote/ssh-remote+yaml-dev/workflow",
      volumeId: "cache-volume-id",
    });
    const volumes = recorder.registrations.filter((registration) => registration.type === "aws:ebs/volume:Volume");
    assert.deepEqual(volumes.map((volume) => [volume.name, volume.inputs.availabilityZone, volume.inputs.size]), [["cache-volume", "us-east-1a", 200]]);
    assert.equal(recorder.inputsOf("box-vm").availabilityZone, "us-east-1a");
    assert.equal(recorder.inputsOf("box-attach-hf-cache").volumeId, "cache-volume-id");
    const leaking = recorder.registrations.filter((registration) => JSON.stringify(registration.inputs).includes("hf-yaml-sentinel"));
    assert.deepEqual(leaking.map((registration) => registration.type), ["aws:ssm/parameter:Parameter"]);
  });
});
