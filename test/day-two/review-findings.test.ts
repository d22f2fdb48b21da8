/**
 * The review findings of issue 14, each fixed or refused: a given AWS subnet gets a public IP,
 * the TPU VM waits for a new service account, `cpu: arm` needs an image, GCE's metadata limits
 * are checked, a TPU VM's last data disk is not detached live. (The v5p runtime is in
 * gcp-names.test.ts, the apt lock wait in bootstrap/apt-lock.test.ts.)
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkMetadataSize } from "../../components/gcp/boot";
import { gcpContext } from "../../components/gcp/context";
import type * as pulumi from "@pulumi/pulumi";
import { accountOptions, resourceHooksAvailable, SETTLE_HOOK_NAME, TPU_ACCOUNT_SETTLE_SECONDS, waitForNewAccount } from "../../components/gcp/identity";
import { checkArchitecture, RefusedConfigurationError } from "../../offers/architecture";
import { parseConfig } from "../../config/read";
import { toRequirements } from "../../offers/requirements";
import { deploy, deployRejected } from "../support/component-harness";
import { run } from "../support/run-cli";
import { gcpPlan } from "../components/gcp-support";
import { baseArgs } from "./rows";

const inputsOf = (d: Awaited<ReturnType<typeof deploy>>, name: string) => JSON.parse(JSON.stringify(d.recorder.inputsOf(name))) as Record<string, unknown>;

describe("review findings (issue 14)", () => {
  it("AWS: a given subnet (which need not give public IPs) gets one; the security group is the instance's", async () => {
    const d = await deploy("net", { ...baseArgs("aws"), aws: { subnetId: "subnet-0bbb" } }, {
      invokes: { "aws:ec2/getSubnet:getSubnet": () => ({ id: "subnet-0bbb", vpcId: "vpc-0aaa", availabilityZone: "us-east-1c", region: "us-east-1" }) },
    });
    const vm = inputsOf(d, "net-vm");
    assert.deepEqual([vm.subnetId, vm.associatePublicIpAddress, vm.vpcSecurityGroupIds], ["subnet-0bbb", true, ["net-sg-id"]]);
    assert.equal(inputsOf(d, "net-lt").vpcSecurityGroupIds, undefined, "no group in the template: an interface with a public IP takes the instance's");
    const plain = await deploy("net", baseArgs("aws"));
    assert.equal(inputsOf(plain, "net-vm").associatePublicIpAddress, undefined, "default subnets give public IPs themselves");
  });

  it("TPU: the new service account's creation ends with a 60 s wait (an afterCreate hook), a VM's does not", async () => {
    assert.equal(TPU_ACCOUNT_SETTLE_SECONDS, 60);
    assert.equal(resourceHooksAvailable(), false, "Pulumi's mock runtime takes no hooks");
    const tpu = gcpContext(gcpPlan({ name: "tpu", yaml: "type: dev-environment\nresources:\n  gpu: v5litepod-8\n", instanceType: "v5litepod-8", region: "us-east5" }).plan);
    const vm = gcpContext(gcpPlan({ name: "vm", yaml: "type: dev-environment\n", instanceType: "e2-standard-4", region: "us-central1" }).plan);
    // A stand-in for the engine's hook (a real one registers with the engine when made).
    const hook = { name: SETTLE_HOOK_NAME } as pulumi.ResourceHook;
    assert.deepEqual(accountOptions(tpu, hook).hooks, { afterCreate: [hook] });
    assert.equal(accountOptions(vm, hook).hooks, undefined);
    assert.equal(accountOptions(tpu).hooks, undefined, "without hooks in the engine, nothing to register");
    const started = Date.now();
    await waitForNewAccount(0.05);
    assert.ok(Date.now() - started >= 45, "the hook's body waits");
  });

  it("cpu: arm without an image, or with docker: true, is refused before any offer is chosen", async () => {
    const refuse = (text: string) => () => checkArchitecture(parseConfig(text), toRequirements(parseConfig(text)));
    assert.throws(refuse("type: dev-environment\nresources:\n  cpu: arm:4\n"), new RefusedConfigurationError("resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm"));
    assert.throws(refuse("type: dev-environment\ndocker: true\nresources:\n  cpu: arm:4\n"), new RefusedConfigurationError("resources.cpu: arm cannot run docker: true (dstack's dstackai/dind image is x86 only); drop arm or docker"));
    assert.doesNotThrow(refuse("type: dev-environment\nimage: arm64v8/ubuntu\nresources:\n  cpu: arm:4\n"));
    const { error } = await deployRejected("arm", { config: "type: dev-environment\nresources:\n  cpu: arm:4\n", noRepo: true }).catch((thrown: Error) => ({ error: thrown }));
    assert.equal(error.message, "resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm");
    const dir = mkdtempSync(path.join(tmpdir(), "arm-"));
    const file = path.join(dir, "arm.dstack.yml");
    writeFileSync(file, "type: dev-environment\nresources:\n  cpu: arm:4\n");
    const offers = run("offers", file);
    assert.deepEqual([offers.code, offers.stdout, offers.stderr], [1, "", `dstack-pulumi: ${file}: resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm\n`]);
    const withImage = run("offers", "--limit", "1", (writeFileSync(file, "type: dev-environment\nimage: arm64v8/ubuntu\nresources:\n  cpu: arm:4\n"), file));
    assert.equal(withImage.code, 0);
    assert.match(withImage.stdout, / c7g\./);
  });

  it("GCE metadata: a value over 256 KB or metadata over 512 KB is an error that names it", () => {
    const big = "x".repeat(256 * 1024 + 1);
    assert.throws(() => checkMetadataSize("box", { "startup-script": big }), new Error(`box: the startup-script metadata is ${256 * 1024 + 1} bytes; GCE takes at most 262144 per value (shorten init, or move long commands into a file of the repository)`));
    const half = "y".repeat(200 * 1024);
    assert.throws(() => checkMetadataSize("box", { a: half, b: half, c: half }), new Error(`box: the VM's metadata is ${3 * 200 * 1024 + 3} bytes; GCE takes at most 524288 in all`));
    assert.deepEqual(checkMetadataSize("box", { a: "1" }), { a: "1" });
  });

  it("GCE metadata: an init too long for a startup script stops the update with that error; no VM is declared", async () => {
    const init = Array.from({ length: 3000 }, (_, i) => `  - echo ${"z".repeat(90)} ${i}`).join("\n");
    const { error, recorder } = await deployRejected("box", { ...baseArgs("gcp"), env: {}, config: `type: dev-environment\nname: box\ninit:\n${init}\n` });
    assert.match(error.message, /^box: the startup-script metadata is \d+ bytes; GCE takes at most 262144 per value/);
    assert.ok(!recorder.resourceList().some((line) => line.startsWith("gcp:compute/instance")), "no VM declared");
  });
});
