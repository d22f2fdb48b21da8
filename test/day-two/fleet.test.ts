/**
 * Day two of an environment whose AWS VM an EC2 Fleet launched: a boot-script change (init, ide,
 * python, env, the SSH key) leaves every input of the fleet and its launch template as it was and
 * changes only the SSM parameters, in place; sleep and wake go through the fleet's instance id;
 * a stack with an EC2 instance keeps it when `retry` is added (only `awsLaunch` switches, and that
 * replaces the VM), and a fleet stack keeps its fleet when `retry` is removed; a fleet that
 * launched nothing fails the update with a capacity message the capacity loop reads.
 */
import { strict as assert } from "node:assert";
import { deployRejected } from "../support/component-harness";
import { describeChanges, twoRuns, vmEffect, type TwoRuns } from "../support/two-runs";
import { baseArgs, configText, OTHER_KEY } from "./rows";

const FLEET = "aws:ec2/fleet:Fleet";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const parts = { python: "3.11", ide: "vscode" as const, init: ["pip install -r requirements.txt"], env: ["MODE=dev", "HF_TOKEN"], disk: "100GB..", spot: false, volumes: [], slice: "v5litepod-8" };

/** The inputs of the one resource of `type` in a run. */
function inputsOfType(run: TwoRuns["first"], type: string): Record<string, unknown> {
  const found = run.resources.filter((resource) => resource.type === type);
  assert.equal(found.length, 1, `${found.length} ${type}`);
  return found[0].inputs;
}

/** The seven boot parameters change in place, nothing else does. */
const BOOT_ONLY = [0, 1, 2, 3, 4, 5, 6].map((index) => `in-place aws:ssm/parameter:Parameter box-boot-${index} (insecureValue: in-place)`);

describe("day two: a fleet's VM", () => {
  const edits: [string, (args: ReturnType<typeof baseArgs>) => ReturnType<typeof baseArgs>][] = [
    ["init, ide and python", (args) => ({ ...args, config: configText("awsFleet", { ...parts, python: "3.12", ide: "cursor", init: ["pip install -e ."] }) })],
    ["an env value", (args) => ({ ...args, config: configText("awsFleet", { ...parts, env: ["MODE=prod", "HF_TOKEN"] }) })],
    ["the SSH key", (args) => ({ ...args, sshPublicKey: OTHER_KEY })],
  ];
  for (const [what, edit] of edits) {
    it(`${what}: the fleet's and the launch template's inputs are unchanged; only the boot script's SSM parameters change, in place`, async () => {
      const result = await twoRuns("box", baseArgs("awsFleet"), { args: edit });
      assert.deepEqual(inputsOfType(result.second, FLEET), inputsOfType(result.first, FLEET));
      assert.deepEqual(inputsOfType(result.second, TEMPLATE), inputsOfType(result.first, TEMPLATE));
      const changed = describeChanges(result.changes).filter((line) => !line.includes("box-boot-0 ")).map((line) => line.replace(/box-boot-(\d) \(insecureValue: in-place\)/, "box-boot-$1 (insecureValue: in-place)"));
      // The manifest always changes (the script's hash); a part changes when its text does.
      assert.ok(changed.every((line) => BOOT_ONLY.includes(line)), describeChanges(result.changes).join("\n"));
      assert.ok(describeChanges(result.changes).includes(BOOT_ONLY[0]));
      assert.equal(vmEffect(result.changes), "none");
    });
  }

  it("running: false and back: the power state of the fleet's VM, in place; the fleet untouched", async () => {
    const stopped = await twoRuns("box", baseArgs("awsFleet"), { args: (args) => ({ ...args, running: false }) });
    assert.deepEqual(describeChanges(stopped.changes), ["in-place aws:ec2transitgateway/instanceState:InstanceState box-power (state: in-place)"]);
    assert.deepEqual(stopped.second.resources.find((resource) => resource.name === "box-power")!.inputs, { region: "us-east-1", instanceId: "box-fleet-instance", state: "stopped" });
    const started = await twoRuns("box", { ...baseArgs("awsFleet"), running: false }, { args: (args) => ({ ...args, running: true }) });
    assert.deepEqual(describeChanges(started.changes), ["in-place aws:ec2transitgateway/instanceState:InstanceState box-power (state: in-place)"]);
  });
});

describe("day two: the launch is kept (no stack moves between an instance and a fleet by itself)", () => {
  it("retry added to a stack with an EC2 instance: the instance stays, with a warning that says why and how to switch", async () => {
    const result = await twoRuns("box", baseArgs("aws"), { args: (args) => ({ ...args, config: configText("awsFleet", parts) }) });
    assert.deepEqual(describeChanges(result.changes), []);
    assert.ok(result.second.resources.some((resource) => resource.type === "aws:ec2/instance:Instance"));
    assert.ok(result.second.outputs.warnings.includes(
      "retry: this stack's VM is one EC2 instance (deployed without retry, or by an earlier version) and stays one, as an EC2 Fleet would replace it; dstack-pulumi up still tries the next offers. awsLaunch: \"fleet\" launches through a fleet (the VM is replaced once)",
    ), result.second.outputs.warnings.join("\n"));
  });

  it("awsLaunch: fleet on that stack replaces the instance by a fleet (asked for)", async () => {
    const result = await twoRuns("box", baseArgs("aws"), { args: (args) => ({ ...args, awsLaunch: "fleet" }) });
    const lines = describeChanges(result.changes);
    assert.ok(lines.includes("delete aws:ec2/instance:Instance box-vm"), lines.join("\n"));
    assert.ok(lines.includes("create aws:ec2/fleet:Fleet box-fleet"), lines.join("\n"));
  });

  it("retry removed from a fleet stack: the fleet stays", async () => {
    const result = await twoRuns("box", baseArgs("awsFleet"), { args: (args) => ({ ...args, config: configText("aws", parts) }) });
    assert.deepEqual(describeChanges(result.changes), []);
  });
});

describe("a fleet that launched nothing", () => {
  it("fails the update with a capacity message: what was tried, the marker the loop reads, how to ask again", async () => {
    const empty = { computed: (type: string) => (type === FLEET ? { fleetInstanceSets: [] } : undefined) };
    const { error } = await deployRejected("box", baseArgs("awsFleet"), empty);
    assert.match(error.message, /^box: the EC2 Fleet box-fleet launched no instance: insufficient capacity for t3\.xlarge, [^ ]+ .* in us-east-1a, us-east-1b, us-east-1c \(or a vCPU quota: the AWS provider does not pass on EC2 Fleet's reasons\) \[dstack-capacity aws us-east-1 t3\.xlarge,[^\]]+\]\. To ask EC2 again: pulumi up --replace 'urn:pulumi:test::dstack-test::dstack:index:DevEnvironment\$aws:ec2\/fleet:Fleet::box-fleet'; dstack-pulumi up does so and tries the next offers while retry allows$/);
  });
});
