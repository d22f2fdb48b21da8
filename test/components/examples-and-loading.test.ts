/**
 * Every example under examples/ runs under the mock runtime as `pulumi up` would run it (from its
 * folder, with its stack config); and a GCP-only configuration never loads @pulumi/aws (nor an
 * AWS one @pulumi/gcp).
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { setConfig } from "@pulumi/pulumi/runtime/config";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { cloudsLoadedBy } from "../support/fresh-process";
import { pulumiMocks, settled, valueOf } from "../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "../../..");
const EXAMPLES = fs.readdirSync(path.join(ROOT, "examples")).filter((name) => fs.existsSync(path.join(ROOT, "examples", name, "index.ts"))).sort();

describe("examples under mocks", () => {
  before(async () => {
    await pulumiMocks();
    setConfig("dstack-test:sshPublicKey", SSH_KEY);
    setConfig("dstack-test:allowedCidrs", JSON.stringify(["203.0.113.4/32"]));
  });

  it("every TypeScript example folder has a program, a Pulumi.yaml and a .dstack.yml", () => {
    assert.deepEqual(EXAMPLES, ["capacity", "cpu", "custom-image", "gpu", "multi-gpu", "private-registry", "shared-volume", "spot", "tpu", "volumes"]);
  });

  for (const example of EXAMPLES) {
    it(`${example}: the program deploys its .dstack.yml`, async () => {
      const recorder = await pulumiMocks();
      recorder.reset();
      answerInvokes(recorder);
      const cwd = process.cwd();
      const saved = { ...process.env };
      process.env.GHCR_TOKEN = "example-ghcr";
      process.env.HF_TOKEN = "example-hf";
      process.chdir(path.join(ROOT, "examples", example));
      try {
        const program = path.join(ROOT, "dist", "examples", example, "index.js");
        delete require.cache[program];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const outputs = require(program) as Record<string, pulumi.Output<unknown>>;
        const ssh = (await valueOf(outputs.sshCommand)) as string;
        const offer = (await valueOf(outputs.offer)) as { instanceType: string };
        await settled();
        assert.match(ssh, /^ssh -J ubuntu@\d+\.\d+\.\d+\.\d+ -p 10022 -o HostKeyAlias=[a-z0-9-]+ root@localhost$/);
        assert.ok(offer.instanceType.length > 0);
        // The VM: an instance or TPU VM (`<name>-vm`), or the EC2 Fleet that launches it (`<name>-fleet`, with retry).
        assert.ok(recorder.resourceList().some((line) => / \S+-(vm|fleet)$/.test(line)), recorder.resourceList().join("\n"));
      } finally {
        process.chdir(cwd);
        process.env = saved;
      }
    });
  }
});

/** The cloud SDKs a fresh process loads to declare a DevEnvironment of `config`. */
function loadedClouds(config: string): string[] {
  return cloudsLoadedBy(`
    const { DevEnvironment } = require(ROOT + "/dist/components/dev-environment.js");
    const env = new DevEnvironment("probe", { config: ${JSON.stringify(config)}, sshPublicKey: ${JSON.stringify(SSH_KEY)}, allowedCidrs: ["203.0.113.4/32"] });
    return env.instanceId;`);
}

describe("only the cloud an offer needs is loaded", () => {
  it("a GCP-only configuration never loads @pulumi/aws", () => {
    assert.deepEqual(loadedClouds("type: dev-environment\nide: vscode\nbackends: [gcp]\nresources:\n  gpu: v5litepod-8\n"), ["gcp"]);
  });

  it("an AWS-only configuration never loads @pulumi/gcp", () => {
    assert.deepEqual(loadedClouds("type: dev-environment\nide: vscode\nbackends: [aws]\n"), ["aws"]);
  });
});
