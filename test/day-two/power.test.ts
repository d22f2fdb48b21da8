/**
 * Sleep and wake: `running: false` and back on AWS and GCP (exact resources, inputs and what the
 * update does), refused for TPU and AWS spot VMs; the VM as the cloud reports it (stopped, gone)
 * gives the address and a warning that says how to start it.
 */
import { strict as assert } from "node:assert";
import { REPLACE_WARNING, RESUME_HINT } from "../../components/power";
import { deploy, deployRejected } from "../support/component-harness";
import { inFreshProcess } from "../support/fresh-process";
import { describeChanges, twoRuns } from "../support/two-runs";
import { baseArgs } from "./rows";

const inputsOf = (d: Awaited<ReturnType<typeof deploy>>, name: string) => JSON.parse(JSON.stringify(d.recorder.inputsOf(name))) as Record<string, unknown>;

describe("day two: running false and back", () => {
  it("AWS: the power state is stopped, then running; the VM itself is untouched", async () => {
    const stopped = await twoRuns("box", baseArgs("aws"), { args: (args) => ({ ...args, running: false }) });
    assert.deepEqual(describeChanges(stopped.changes), ["in-place aws:ec2transitgateway/instanceState:InstanceState box-power (state: in-place)"]);
    const state = stopped.second.resources.find((resource) => resource.name === "box-power")!;
    assert.deepEqual(state.inputs, { region: "us-east-1", instanceId: "box-vm-id", state: "stopped" });
    const started = await twoRuns("box", { ...baseArgs("aws"), running: false }, { args: (args) => ({ ...args, running: true }) });
    assert.deepEqual(describeChanges(started.changes), ["in-place aws:ec2transitgateway/instanceState:InstanceState box-power (state: in-place)"]);
    assert.equal(started.second.resources.find((resource) => resource.name === "box-power")!.inputs.state, "running");
  });

  it("GCP: desiredStatus TERMINATED, then RUNNING, in place; disks and volumes stay", async () => {
    const args = baseArgs("gcp", { volumes: ["data:/data"] });
    const stopped = await twoRuns("box", args, { args: (same) => ({ ...same, running: false }) });
    assert.deepEqual(describeChanges(stopped.changes), ["in-place gcp:compute/instance:Instance box-vm (desiredStatus: in-place)"]);
    assert.equal(stopped.second.resources.find((resource) => resource.name === "box-vm")!.inputs.desiredStatus, "TERMINATED");
    const started = await twoRuns("box", { ...args, running: false }, { args: (same) => ({ ...same, running: true }) });
    assert.deepEqual(describeChanges(started.changes), ["in-place gcp:compute/instance:Instance box-vm (desiredStatus: in-place)"]);
  });

  it("a TPU VM and an AWS spot VM cannot be stopped: refused with the reason", async () => {
    const tpu = await deployRejected("box", { ...baseArgs("tpu"), running: false });
    assert.equal(tpu.error.message, "box: running: false cannot stop a TPU VM (v5litepod-8): the provider has no stopped state for TPU VMs. Remove the environment (pulumi destroy; the volumes are kept) to stop paying for it, or use gcloud compute tpus tpu-vm stop.");
    const spot = await deployRejected("box", { ...baseArgs("awsSpot"), running: false });
    assert.equal(spot.error.message, "box: running: false cannot stop a spot VM (m5.xlarge): AWS stops no one-time spot instance, it terminates it. Use an on-demand offer (spot_policy: on-demand) to pause the box, or pulumi destroy (the volumes are kept).");
    assert.deepEqual(spot.recorder.resourceList().filter((line) => !line.startsWith("pulumi:index:Stash")), [], "nothing but the stashes is declared");
  });

  it("a TPU VM takes no static address", async () => {
    const { error } = await deployRejected("box", { ...baseArgs("tpu"), elasticIp: true });
    assert.equal(error.message, "box: elasticIp: a TPU VM cannot take a static external address");
  });
});

describe("day two: the VM as the cloud reports it", () => {
  const GET_AWS = "aws:ec2/getInstance:getInstance";
  const GET_GCP = "gcp:compute/getInstance:getInstance";

  it("AWS, powered off: a warning with the reason and the way back; publicIp is the VM's now (none while stopped)", async () => {
    const d = await deploy("box", baseArgs("aws"), { invokes: { [GET_AWS]: (inputs) => ({ id: String(inputs.instanceId), instanceState: "stopped", publicIp: "" }) } });
    const expected = `the VM is stopped (it powers itself off after 6h of uptime (max_duration)): ${RESUME_HINT}`;
    assert.equal(d.outputs.warnings.at(-1), expected);
    assert.equal(d.outputs.publicIp, "");
  });

  it("AWS, started again elsewhere: publicIp and sshCommand take the new address", async () => {
    const d = await deploy("box", baseArgs("aws"), { invokes: { [GET_AWS]: (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "198.51.100.77" }) } });
    assert.equal(d.outputs.publicIp, "198.51.100.77");
    assert.equal(d.outputs.sshCommand, "ssh -J ubuntu@198.51.100.77 -p 10022 -o HostKeyAlias=box root@localhost");
    const config = await new Promise<string>((resolve) => d.env.sshConfig.apply(resolve));
    assert.equal(config.split("\n")[0], "# the public IP changes when the VM stops and starts (give elasticIp: true for a fixed address); publicIp and sshConfig follow on the next pulumi up --refresh");
  });

  it("AWS spot, interrupted (terminated): the warning says pulumi up --refresh launches a new one", async () => {
    const d = await deploy("box", baseArgs("awsSpot"), { invokes: { [GET_AWS]: (inputs) => ({ id: String(inputs.instanceId), instanceState: "terminated", publicIp: "" }) } });
    assert.equal(d.outputs.warnings.at(-1), "the VM is gone (terminated: a spot interruption); pulumi up --refresh sees it gone and launches a new one (the volumes keep their data; the root disk is new)");
  });

  it("GCP, stopped (powered off or preempted): a warning with the way back", async () => {
    const d = await deploy("box", { ...baseArgs("gcp", {}), config: `${baseArgs("gcp").config}inactivity_duration: 30m\n` }, { invokes: { [GET_GCP]: (inputs) => ({ id: String(inputs.name), name: inputs.name, zone: inputs.zone, currentStatus: "TERMINATED" }) } });
    assert.equal(d.outputs.warnings.at(-1), `the VM is terminated (it powers itself off after 6h of uptime (max_duration) or after 30m without an SSH connection (inactivity_duration)): ${RESUME_HINT}`);
  });

  it("a VM stopped on purpose (running: false) gives no warning", async () => {
    const d = await deploy("box", { ...baseArgs("gcp"), running: false }, { invokes: { [GET_GCP]: (inputs) => ({ id: String(inputs.name), currentStatus: "TERMINATED" }) } });
    assert.ok(!d.outputs.warnings.some((warning) => warning.startsWith("the VM is")), d.outputs.warnings.join("\n"));
    assert.equal(inputsOf(d, "box-vm").desiredStatus, "TERMINATED");
  });

  it("with elasticIp: no address note, the GCP VM takes a static address of its region", async () => {
    const d = await deploy("box", { ...baseArgs("gcp"), elasticIp: true });
    assert.deepEqual(inputsOf(d, "box-ip"), { region: "us-central1", addressType: "EXTERNAL", description: "dstack dev environment address", labels: { owner: "dstack", dstack_name: "box", team: "ml" } });
    assert.deepEqual((inputsOf(d, "box-vm").networkInterfaces as { accessConfigs: unknown[] }[])[0].accessConfigs, [{ natIp: "198.51.100.50" }]);
    const config = await new Promise<string>((resolve) => d.env.sshConfig.apply(resolve));
    assert.ok(config.startsWith("Host box-host\n"), config);
  });
});

describe("day two: pulumi preview says when an update replaces the VM", () => {
  const body = (stashes: Record<string, unknown>) => `
    const { DevEnvironment } = require(ROOT + "/dist/components/dev-environment.js");
    const { SSH_KEY } = require(ROOT + "/dist/test/support/bootstrap-scenarios.js");
    for (const [name, value] of Object.entries(${JSON.stringify(stashes)})) recorder.stashes.set(name, value);
    const warnings = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = (message) => { warnings.push(message); return Promise.resolve(); };
    new DevEnvironment("box", { config: "type: dev-environment\\nname: box\\n", backend: "aws", region: "us-east-1", sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], noRepo: true, lockFile: "/nonexistent/x.lock.json" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pulumi.runtime.waitForRPCs();
    pulumi.log.warn = warn;
    return warnings;`;

  it("an existing stack whose VM has no id in the preview (a replacement): the warning", () => {
    const warnings = inFreshProcess<string[]>(body({ "box-identity": { project: "p", stack: "s", name: "box" } }), { preview: true, typesWithoutId: ["aws:ec2/instance:Instance"] });
    assert.ok(warnings.includes(REPLACE_WARNING), warnings.join("\n"));
  });

  it("a first deployment (nothing in the stack yet): no such warning", () => {
    const warnings = inFreshProcess<string[]>(body({}), { preview: true, typesWithoutId: ["aws:ec2/instance:Instance", "pulumi:index:Stash"] });
    assert.ok(!warnings.includes(REPLACE_WARNING), warnings.join("\n"));
  });

  it("an update that keeps the VM (it has its id): no such warning", () => {
    const warnings = inFreshProcess<string[]>(body({ "box-identity": { project: "p", stack: "s", name: "box" } }), { preview: true });
    assert.ok(!warnings.includes(REPLACE_WARNING), warnings.join("\n"));
  });
});
