/**
 * At a first boot, unattended-upgrades holds dpkg's lock for minutes: the bootstrap's apt waits
 * for it (fuser, then apt's own DPkg::Lock::Timeout) instead of giving up after five quick tries.
 * Runs the real lib functions in bash with stand-ins for fuser, sleep and apt-get.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { shellCode } from "../../bootstrap/shell-files";

interface AptRun {
  status: number | null;
  calls: string[];
  log: string[];
}

/** `ensure_tool` for a missing command, with the lock held for `busyChecks` fuser calls and apt-get failing `aptFailures` times. */
function ensureTool(busyChecks: number, aptFailures = 0, waitSeconds?: number): AptRun {
  const dir = mkdtempSync(path.join(tmpdir(), "apt-lock-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\nprintf '%s\\n' "${name} $*" >>"${dir}/calls"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  writeFileSync(path.join(dir, "busy"), String(busyChecks));
  writeFileSync(path.join(dir, "failures"), String(aptFailures));
  stub("fuser", `n=$(cat "${dir}/busy"); if [ "$n" -gt 0 ]; then echo $((n - 1)) >"${dir}/busy"; exit 0; fi; exit 1`);
  stub("sleep", "");
  stub("apt-get", `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >>"${dir}/calls"; n=$(cat "${dir}/failures"); if [ "$n" -gt 0 ]; then echo $((n - 1)) >"${dir}/failures"; exit 100; fi`);
  const settings = waitSeconds === undefined ? "" : `APT_LOCK_WAIT_SECONDS=${waitSeconds}\n`;
  const script = `set -Eeuo pipefail\n${shellCode("bootstrap-lib.sh")}\n${settings}ensure_tool no-such-tool-3f9a demo-package\n`;
  const result = spawnSync("bash", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin`, DSTACK_BOOTSTRAP_ROOT: path.join(dir, "root") }, encoding: "utf8" });
  const read = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n");
  const log = read(path.join(dir, "root", "var", "log", "dstack-bootstrap.log")).map((line) => line.replace(/^\S+ dstack-bootstrap: /, ""));
  return { status: result.status, calls: read(path.join(dir, "calls")), log };
}

const LOCKS = (dir = "") => `fuser ${dir}/var/lib/dpkg/lock-frontend ${dir}/var/lib/dpkg/lock ${dir}/var/lib/apt/lists/lock`;

describe("bootstrap: apt waits for the package manager's lock", () => {
  it("while unattended-upgrades holds the lock, apt waits (5 s at a time), then installs with DPkg::Lock::Timeout", () => {
    const run = ensureTool(3);
    assert.equal(run.status, 0);
    assert.equal(run.calls.filter((call) => call.startsWith("fuser")).length, 5, "3 busy checks, then free before update and before install");
    assert.deepEqual(run.calls.filter((call) => !call.startsWith("fuser")), [
      "sleep 5", "sleep 5", "sleep 5",
      "apt-get -o DPkg::Lock::Timeout=900 update -q", "DEBIAN_FRONTEND=noninteractive",
      "apt-get -o DPkg::Lock::Timeout=900 install -y -q demo-package", "DEBIAN_FRONTEND=noninteractive",
    ]);
    assert.deepEqual(run.log, [
      "installing demo-package",
      "waiting for the package manager (unattended-upgrades or another apt holds its lock)",
      "the package manager is free after 15s",
    ]);
  });

  it("checks dpkg's frontend lock, dpkg's lock and apt's lists lock", () => {
    const run = ensureTool(0);
    const first = run.calls[0].replace(/ \S+\/root\//g, " /");
    assert.equal(first, LOCKS());
  });

  it("a lock held past the limit: apt goes on (and apt's own timeout waits), no endless wait", () => {
    const run = ensureTool(1000, 0, 10);
    assert.equal(run.status, 0);
    assert.equal(run.calls.filter((call) => call === "sleep 5").length, 4, "two checks of 10 s before update and before install");
    assert.ok(run.log.includes("the package manager is still busy after 10s: going on"));
  });

  it("an apt-get that fails is tried again (5 tries, 10 s apart) before the boot fails", () => {
    const run = ensureTool(0, 5);
    assert.notEqual(run.status, 0);
    assert.equal(run.calls.filter((call) => call.startsWith("apt-get")).length, 5);
    assert.ok(run.log.includes("gave up after 5 attempts: apt_get"));
  });
});
