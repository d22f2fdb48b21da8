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

  /** The offer each example's .dstack.yml gets from the bundled catalog (as `dstack-pulumi plan` shows it). */
  const OFFERS: Record<string, string> = {
    capacity: "aws us-east-1 g6.xlarge on-demand $0.8048/h",
    cpu: "gcp asia-south1 n2d-standard-4 on-demand $0.111532/h",
    "custom-image": "aws eu-west-1 g4dn.2xlarge on-demand $0.838/h",
    gpu: "gcp us-central1 g2-standard-4 on-demand $0.706832/h",
    "multi-gpu": "gcp us-central1 a2-ultragpu-2g on-demand $10.137596/h",
    "private-registry": "aws us-east-1 t3.xlarge on-demand $0.1664/h",
    "shared-volume": "aws us-east-1 g6.xlarge on-demand $0.8048/h",
    spot: "aws sa-east-1 g4dn.xlarge spot $0.1218/h",
    tpu: "gcp us-east5 v5litepod-8 on-demand $9.6/h",
    volumes: "gcp us-central1 n1-highmem-2 on-demand $0.4683/h",
  };

  for (const example of EXAMPLES) {
    it(`${example}: the program deploys its .dstack.yml, on ${OFFERS[example]}`, async () => {
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
        const offer = (await valueOf(outputs.offer)) as { backend: string; region: string; instanceType: string; spot: boolean; pricePerHour: number };
        await settled();
        assert.match(ssh, /^ssh -J ubuntu@\d+\.\d+\.\d+\.\d+ -p 10022 -o HostKeyAlias=[a-z0-9-]+ root@localhost$/);
        assert.equal(`${offer.backend} ${offer.region} ${offer.instanceType} ${offer.spot ? "spot" : "on-demand"} $${offer.pricePerHour}/h`, OFFERS[example]);
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
