/**
 * `lockContent`: the lock passed as text (as a YAML or Python program passes files), used exactly
 * as the same lock in a file; it replaces the lock file next to `configPath`, and `lockFile` with
 * it is refused. The missing-SDK message of a backend names the package to install.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { loadCloudModule, MissingCloudSdkError } from "../../components/cloud-sdk";
import { lockOf } from "../../components/lock-source";
import { lockText, makeLock } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { deploy } from "../support/component-harness";

const CONFIG = "type: dev-environment\nname: locked\nide: vscode\nresources:\n  gpu: L4,A10G\n";

function g5Lock(): string {
  const g5 = resolveOffers(parseConfig(CONFIG), new OfferIndex(loadBundledCatalog()), { instanceTypes: ["g5.xlarge"], regions: ["us-west-2"], limit: 1 }).offers[0];
  return lockText(makeLock(g5, "us-west-2c", loadBundledCatalog().stamp));
}

describe("component: lockContent", function () {

  it("an inline config with the lock as text deploys the locked offer (not the cheapest)", async () => {
    const d = await deploy("locked", { config: CONFIG, lockContent: g5Lock(), noRepo: true });
    const vm = d.recorder.inputsOf("locked-vm");
    assert.deepEqual([vm.instanceType, vm.availabilityZone, vm.region], ["g5.xlarge", "us-west-2c", "us-west-2"]);
    assert.deepEqual(d.outputs.warnings, []);
    const unlocked = await deploy("free", { config: CONFIG, noRepo: true });
    assert.notEqual(unlocked.recorder.inputsOf("free-vm").instanceType, "g5.xlarge");
  });

  it("replaces the lock file next to configPath; with lockFile it is refused; bad text names the arg", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-content-"));
    const config = path.join(dir, ".dstack.yml");
    fs.writeFileSync(config, CONFIG);
    fs.writeFileSync(path.join(dir, ".dstack.lock.json"), "not a lock: never read when lockContent is given");
    assert.equal(lockOf({ configPath: config, lockContent: g5Lock() }).lock?.offer.instance_type, "g5.xlarge");
    assert.equal(lockOf({ configPath: config, lockContent: g5Lock() }).lockFile, "lockContent");
    assert.throws(() => lockOf({ configPath: config, lockFile: config, lockContent: g5Lock() }), /give at most one of lockFile \(a path\) and lockContent/);
    assert.throws(() => lockOf({ lockContent: "{\"format\": 2}" }), /^LockError: lockContent: not a pulumi-dstack lock \(format 1 with an offer\)/);
  });

  it("a backend whose SDK is missing says which package to install, with the accepted range", async () => {
    const missing = Object.assign(new Error("Cannot find module '@pulumi/gcp/compute'\nRequire stack: ..."), { code: "MODULE_NOT_FOUND" });
    await assert.rejects(loadCloudModule("gcp", () => Promise.reject(missing)), (error: Error) => {
      assert.ok(error instanceof MissingCloudSdkError);
      assert.equal(error.message, 'the gcp backend needs @pulumi/gcp, which is not installed: run `npm install @pulumi/gcp@"^9.37.0"` in your Pulumi project (pulumi-dstack loads each cloud\'s SDK only for the backends you use)');
      return true;
    });
    const other = Object.assign(new Error("Cannot find module 'left-pad'"), { code: "MODULE_NOT_FOUND" });
    await assert.rejects(loadCloudModule("aws", () => Promise.reject(other)), /left-pad/);
    assert.equal(await loadCloudModule("aws", () => Promise.resolve(7)), 7);
  });
});
