/**
 * Day two, as `pulumi up` would run it twice: the program under mocks, then again with the first
 * run's state and a perturbation, the runs compared through the providers' rules
 * (force-new.json) and the options each child was declared with.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadBundledCatalog } from "../../catalog/load";
import { encodeCatalog } from "../../catalog/file-format";
import type { Catalog } from "../../catalog/types";
import { COLUMNS, EDIT_EFFECTS, editsTable, type Column } from "../../components/day-two-edits";
import { baseArgs, EDIT_MAKERS } from "./rows";
import { describeChanges, twoRuns, vmEffect, type TwoRuns } from "../support/two-runs";
import { parseConfig } from "../../config/read";
import { chooseOffer } from "../../offers/choose";
import { lockText, makeLock } from "../../offers/lock";
import { sharedOfferIndex } from "../../offers/shared-index";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Kinds of resource an update may replace besides the VM, and why. */
const MAY_REPLACE = new Set([
  "pulumi:index:Stash", // state only: the offer kept anew when the requirements change
  "gcp:secretmanager/secretVersion:SecretVersion", // a new secret value is a new version
  "aws:ec2/launchTemplate:LaunchTemplate", // a new market is a new template; the VM's trigger decides for it
]);

/** Nothing but the VM (and what MAY_REPLACE allows) is replaced; no volume is replaced or deleted from the cloud. */
function assertSafe(result: TwoRuns, vmReplaced: boolean): void {
  for (const change of result.changes) {
    const volume = change.type === "aws:ebs/volume:Volume" || change.type === "gcp:compute/disk:Disk";
    if (volume) {
      assert.notEqual(change.kind, "replace", `volume ${change.name} replaced`);
      if (change.kind === "delete") assert.deepEqual(change.reasons, ["retainOnDelete: forgotten, kept on the cloud"], `volume ${change.name} deleted from the cloud`);
    }
    if (change.kind !== "replace") continue;
    const isVm = ["aws:ec2/instance:Instance", "aws:ec2/fleet:Fleet", "gcp:compute/instance:Instance", "gcp:tpu/v2Vm:V2Vm", "pulumi-nodejs:dynamic/dstack:TpuQueuedResource"].includes(change.type);
    const follows = vmReplaced && ["aws:ec2transitgateway/instanceState:InstanceState", "aws:ec2/volumeAttachment:VolumeAttachment", "gcp:compute/attachedDisk:AttachedDisk"].includes(change.type);
    assert.ok((isVm && vmReplaced) || follows || MAY_REPLACE.has(change.type), `unexpected replacement: ${describeChanges([change]).join("")}`);
  }
}

describe("day two: each edit does to the VM what the README's table says", () => {
  for (const edit of EDIT_EFFECTS) {
    for (const column of COLUMNS) {
      it(`${edit.change}, ${column}: ${edit.effect[column]}`, async () => {
        const maker = EDIT_MAKERS[edit.id];
        assert.ok(maker, `no maker for ${edit.id}`);
        const before = maker.before ? maker.before(column) : baseArgs(column);
        const result = await twoRuns("box", before, { args: (args) => maker.after(column, args) });
        assert.equal(vmEffect(result.changes), edit.effect[column], describeChanges(result.changes).join("\n"));
        assertSafe(result, edit.effect[column] === "replace");
      });
    }
  }

  it("a new lock file is the instance-type row: AWS stops and starts the VM in its zone, nothing else is replaced", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dstack-lock-"));
    const lockFile = path.join(dir, "box.lock.json");
    const index = sharedOfferIndex();
    const lockOf = (type: string) => {
      const args = baseArgs("aws");
      const choice = chooseOffer(parseConfig(String(args.config)), index, { backends: ["aws"], regions: ["us-east-1"], instanceTypes: [type] });
      return lockText(makeLock(choice.offer, null, index.catalog.stamp));
    };
    writeFileSync(lockFile, lockOf("t3.xlarge"));
    // The second run reads the lock written between the runs (the args function runs then).
    const swap = await twoRuns("box", { ...baseArgs("aws"), lockFile }, { args: (args) => (writeFileSync(lockFile, lockOf("m6a.xlarge")), args) });
    assert.deepEqual([swap.first.outputs.offer.instanceType, swap.second.outputs.offer.instanceType], ["t3.xlarge", "m6a.xlarge"]);
    assert.equal(vmEffect(swap.changes), "stop-start", describeChanges(swap.changes).join("\n"));
    assert.equal(swap.second.outputs.zone, swap.first.outputs.zone);
    assertSafe(swap, false);
  });

  it("the README holds the table, as components/day-two-edits.ts makes it", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(editsTable()), "README.md is out of date: run node dist/scripts/day-two-table.js");
  });
});

/** Every change is `none`. */
function assertNoChange(result: TwoRuns): void {
  assert.deepEqual(describeChanges(result.changes), []);
}

const ZONE_OFFERINGS = "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings";

/** Offerings of `zones` (in that order) for every type. */
function offerings(zones: string[]) {
  return (inputs: Record<string, unknown>) => ({
    id: String(inputs.region),
    region: inputs.region,
    instanceTypes: zones.map(() => (inputs.filters as { values: string[] }[])[0].values[0]),
    locationTypes: zones.map(() => "availability-zone"),
    locations: zones,
  });
}

/** A copy of the bundled catalog where `instanceType` costs ten times more and lists only `zones`, written to a file. */
function updatedCatalog(instanceType: string, zones?: string[]): string {
  const catalog = JSON.parse(JSON.stringify(loadBundledCatalog())) as Catalog;
  for (const instance of catalog.instances) {
    if (instance.instance_type !== instanceType) continue;
    instance.prices = instance.prices.map((price) => ({
      ...price,
      on_demand: price.on_demand === null ? null : price.on_demand * 10,
      spot: price.spot === null ? null : price.spot * 10,
      ...(zones && zones[0].startsWith(`${price.region}-`) ? { zones } : {}),
    }));
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "dstack-catalog-")), "catalog.json");
  writeFileSync(file, encodeCatalog(catalog));
  return file;
}

describe("day two: a repeat pulumi up with the same configuration changes nothing", () => {
  for (const column of COLUMNS) {
    it(`${column}: nothing changed`, async () => {
      assertNoChange(await twoRuns("box", baseArgs(column)));
    });
  }

  it("AWS: the zones offered in another order, a new zone that sorts first, the chosen zone no longer listed: the VM stays", async () => {
    const first = await twoRuns("box", baseArgs("aws"), { invokes: { [ZONE_OFFERINGS]: offerings(["us-east-1c", "us-east-1b", "us-east-1-0a", "us-east-1a"]) } });
    assert.equal(first.first.outputs.zone, "us-east-1a");
    assertNoChange(first);
    const gone = await twoRuns("box", baseArgs("aws"), { invokes: { [ZONE_OFFERINGS]: offerings(["us-east-1c", "us-east-1b"]) } });
    assertNoChange(gone);
    assert.equal(gone.second.outputs.zone, "us-east-1a");
  });

  for (const [column, type] of [["aws", "t3.xlarge"], ["awsSpot", "m5.xlarge"], ["gcp", "e2-standard-4"], ["tpu", "v5litepod-8"]] as [Column, string][]) {
    it(`${column}: a catalog update that makes ${type} ten times dearer and moves its zones keeps the machine and the zone`, async () => {
      const catalogPath = updatedCatalog(type, column === "gcp" ? ["us-central1-f"] : column === "tpu" ? ["us-east5-c"] : undefined);
      const result = await twoRuns("box", baseArgs(column), { args: (args) => ({ ...args, catalogPath }) });
      assert.equal(result.first.outputs.offer.instanceType, type);
      assert.equal(result.second.outputs.offer.instanceType, type);
      assert.equal(result.second.outputs.zone, result.first.outputs.zone);
      assertNoChange(result);
      assert.ok(result.second.outputs.pricePerHour > result.first.outputs.pricePerHour * 9, "the kept machine takes today's price");
    });
  }

  it("GCP: a newer image of the family and API-normalised values change nothing", async () => {
    const image = "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20261201";
    assertNoChange(await twoRuns("box", baseArgs("gcp"), { normalised: { "gcp:compute/instance:Instance": { "bootDisk.initializeParams.image": image } } }));
  });

  it("GCP with bundled Local SSDs (a2-ultragpu-1g): the scratch disks GCE reports change nothing", async () => {
    const args = { config: "type: dev-environment\nname: box\nresources:\n  gpu: A100:80GB\n", backend: "gcp" as const, region: "us-central1", instanceType: "a2-ultragpu-1g", noRepo: true, lockFile: "/nonexistent/box.lock.json" };
    const scratch = [{ interface: "NVME", size: 375 }];
    const result = await twoRuns("box", args, { normalised: { "gcp:compute/instance:Instance": { scratchDisks: scratch } } });
    assertNoChange(result);
  });

  it("TPU: the network as the TPU API normalises it changes nothing", async () => {
    const network = "projects/test-project/global/networks/default";
    assertNoChange(await twoRuns("box", baseArgs("tpu"), { normalised: { "gcp:tpu/v2Vm:V2Vm": { "networkConfig.network": network } } }));
  });
});

describe("day two: the repository /workflow was cloned from", () => {
  const repo = (hash: string, branch = "main") => ({ url: "https://github.com/acme/research.git", branch, hash: hash.repeat(40) });
  const withRepo = (hash: string, branch?: string) => ({ ...baseArgs("aws"), noRepo: false, repo: repo(hash, branch) });
  const userData = (run: TwoRuns["second"]) => String(run.resources.find((resource) => resource.name === "box-vm")!.inputs.userDataBase64);

  it("a new commit keeps the first commit in the boot script and says how the new one gets there", async () => {
    const result = await twoRuns("box", withRepo("1"), { args: () => withRepo("2") });
    assert.equal(userData(result.second), userData(result.first));
    assert.ok(result.second.outputs.warnings.includes(`repo: /workflow was cloned at ${"1".repeat(12)} when the VM was created; ${"2".repeat(12)} reaches it by a git pull inside the environment (a new commit does not rebuild the VM)`), result.second.outputs.warnings.join("\n"));
    assert.ok(!result.first.outputs.warnings.some((warning) => warning.startsWith("repo: /workflow was cloned")));
  });

  it("another branch, or requirements that choose another machine, take today's commit", async () => {
    const branch = await twoRuns("box", withRepo("1"), { args: () => withRepo("2", "dev") });
    assert.notEqual(userData(branch.second), userData(branch.first));
    assert.equal(vmEffect(branch.changes), "stop-start");
    const machine = await twoRuns("box", withRepo("1"), { args: () => ({ ...withRepo("2"), instanceType: "m6a.xlarge" }) });
    assert.ok(!machine.second.outputs.warnings.some((warning) => warning.startsWith("repo: /workflow was cloned")), machine.second.outputs.warnings.join("\n"));
    assert.notEqual(userData(machine.second), userData(machine.first));
  });
});
