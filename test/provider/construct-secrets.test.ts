/**
 * Secrets through the provider's construct path, as a Python, Go, .NET or YAML program sends them:
 * the language SDK wraps every input the schema marks `secret` (the configuration, env values, the
 * registry password, the repository token), so the component's inputs, which the engine records
 * in state, hold them encrypted; the component then gets them back as it needs them (the
 * configuration plain, env values as secret outputs) and none reaches its outputs or a child's
 * input in plaintext, except the secret store's value, itself a secret.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import zlib from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { DstackProvider, SCHEMA_FILE } from "../../provider/host";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { inFreshProcess } from "../support/fresh-process";
import { asConstructInputs } from "../support/construct-inputs";
import { pulumiMocks, settled, valueOf } from "../support/pulumi-mocks";

const SENTINEL = { registry: "SENTINEL-registry-5521", hf: "SENTINEL-hf-9034", repo: "SENTINEL-repo-7310" };
const CONFIG = [
  "type: dev-environment",
  "name: private",
  "ide: vscode",
  "image: ghcr.io/acme/research:2024.06",
  "registry_auth:",
  "  username: acme-bot",
  `  password: ${SENTINEL.registry}`,
  "env:",
  "  - HF_TOKEN",
  "  - MODE=train",
  "backends: [aws]",
  "regions: [us-east-1]",
  "",
].join("\n");

interface SchemaProperty {
  secret?: boolean;
  $ref?: string;
}
const SCHEMA = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as {
  resources: Record<string, { inputProperties: Record<string, SchemaProperty> }>;
  types: Record<string, { properties?: Record<string, SchemaProperty> }>;
};

/** What a generated SDK does with the args: `secret` inputs (and `secret` fields of input types) wrapped as secrets. */
function asLanguageSdkSends(token: string, args: Record<string, unknown>): Record<string, unknown> {
  const properties = SCHEMA.resources[token].inputProperties;
  const sent: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const property = properties[name];
    const nested = property?.$ref?.startsWith("#/types/") ? SCHEMA.types[property.$ref.slice(8)].properties : undefined;
    if (property?.secret) sent[name] = pulumi.secret(value);
    else if (nested && value && typeof value === "object") {
      sent[name] = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, nested[key]?.secret ? pulumi.secret(item) : item]));
    } else sent[name] = value;
  }
  return sent;
}

/** The serialized value with every secret removed: what the engine would store in plaintext. */
function plaintextPart(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plaintextPart);
  if (value === null || typeof value !== "object") return value;
  if (rpc.isRpcSecret(value)) return "[secret]";
  const record = value as Record<string, unknown>;
  if (record[rpc.specialSigKey] === rpc.specialOutputValueSig && record.secret === true) return "[secret]";
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, plaintextPart(item)]));
}

describe("provider: secrets from other languages through construct", function () {
  const args = {
    config: CONFIG,
    sshPublicKey: SSH_KEY,
    allowedCidrs: ["203.0.113.4/32"],
    env: { HF_TOKEN: SENTINEL.hf },
    repo: { url: "https://github.com/acme/research.git", branch: "main", hash: "4b9c2e1f0a7d3b5c6e8f9a0b1c2d3e4f5a6b7c8d", token: SENTINEL.repo },
    lockFile: "/nonexistent/x.lock.json",
  };

  it("the component's inputs as the engine records them hold no secret in plaintext", async () => {
    await pulumiMocks();
    const sent = asLanguageSdkSends("dstack:index:DevEnvironment", args);
    const serialized = await rpc.serializeProperties("construct inputs", sent, { keepOutputValues: true });
    const stored = JSON.stringify(plaintextPart(serialized));
    for (const sentinel of Object.values(SENTINEL)) assert.ok(!stored.includes(sentinel), `${sentinel} in ${stored}`);
    assert.ok(stored.includes('"config":"[secret]"') && stored.includes('"env":"[secret]"') && stored.includes('"token":"[secret]"'), stored);
  });

  it("constructed from those inputs: the same resources as plain args, the secrets only in the secret store, none in the outputs", async () => {
    const recorder = await pulumiMocks();
    const provider = new DstackProvider();
    recorder.reset();
    answerInvokes(recorder);
    const inputs = await asConstructInputs(asLanguageSdkSends("dstack:index:DevEnvironment", args));
    assert.equal(pulumi.Output.isInstance(inputs.config), true, "the configuration arrives as a secret output");
    const result = await provider.construct("private", "dstack:index:DevEnvironment", inputs, {});
    const state = result.state as Record<string, pulumi.Output<unknown>>;
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(state)) outputs[name] = await valueOf(output);
    await settled();
    const withSecrets = recorder.registrations.filter((registration) => Object.values(SENTINEL).some((sentinel) => JSON.stringify(registration.inputs).includes(sentinel)));
    assert.deepEqual(withSecrets.map((registration) => `${registration.type} ${registration.name}`).sort(), [
      "aws:ssm/parameter:Parameter private-secret-hf-token",
      "aws:ssm/parameter:Parameter private-secret-registry-password",
      "aws:ssm/parameter:Parameter private-secret-repo-token",
    ]);
    for (const registration of withSecrets) assert.equal(registration.inputs.type, "SecureString", registration.name);
    const userData = zlib.gunzipSync(Buffer.from(String(recorder.inputsOf("private-vm").userDataBase64), "base64")).toString("utf8");
    assert.ok(userData.includes("MODE"), "the user data is the boot script");
    for (const sentinel of Object.values(SENTINEL)) assert.ok(!userData.includes(sentinel), `${sentinel} in the user data`);
    const shown = JSON.stringify(outputs);
    for (const sentinel of Object.values(SENTINEL)) assert.ok(!shown.includes(sentinel), `${sentinel} in the outputs`);
    assert.equal((outputs.offer as { instanceType: string }).instanceType, "t3.large");
  });

  it("a secret configuration not known in a preview is refused with the arg's name", () => {
    const seen = inFreshProcess<string>(
      `
      const rpc = require("@pulumi/pulumi/runtime/rpc");
      const { DstackProvider } = require(ROOT + "/dist/provider/host.js");
      const { asConstructInputs } = require(ROOT + "/dist/test/support/construct-inputs.js");
      // The engine sends an unknown value (an output of a resource not created yet) as this sentinel.
      const inputs = await asConstructInputs({ config: pulumi.secret(rpc.unknownValue), sshPublicKey: "ssh-ed25519 AAAA k" });
      return new DstackProvider().construct("box", "dstack:index:DevEnvironment", inputs, {}).then(() => "constructed", (error) => error.message);`,
      { preview: true },
    );
    assert.equal(seen, "box: config is not known in this preview (it comes from a resource not created yet); config must be known when the program runs: give a value, a config value or secret, or a stack reference's output");
  });
});
