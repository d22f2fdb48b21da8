/**
 * The idle check the timer runs every minute (bootstrap/shell/idle-check.sh), run for real with
 * stub `ss` and `systemctl`: it powers the VM off after max_duration of uptime, or after
 * inactivity_duration without an SSH connection, and not otherwise.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SCRIPT = path.resolve(__dirname, "../../../bootstrap/shell/idle-check.sh");

interface Check {
  calls: string[];
  log: string;
  activityAge: number;
}

/** Runs the check with the given uptime, limits, SSH connections and age of the last activity. */
function check(options: { uptime: number; inactivity: number; max: number; connections: boolean; idleFor: number }): Check {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idle-check-"));
  try {
    const root = path.join(dir, "root");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(path.join(root, "var/lib/dstack-pulumi"), { recursive: true });
    fs.mkdirSync(path.join(root, "var/log"), { recursive: true });
    fs.mkdirSync(bin);
    const calls = path.join(dir, "calls.log");
    fs.writeFileSync(path.join(bin, "systemctl"), `#!/bin/sh\necho "systemctl $*" >>'${calls}'\n`, { mode: 0o755 });
    const ssOutput = options.connections ? "0 0 10.0.0.5:22 203.0.113.4:50122" : "";
    fs.writeFileSync(path.join(bin, "ss"), `#!/bin/sh\necho "ss $*" >>'${calls}'\nprintf '%s' '${ssOutput}'\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "uptime"), `${options.uptime}.42 1234.56\n`);
    const activity = path.join(root, "var/lib/dstack-pulumi/last-activity");
    fs.writeFileSync(activity, "");
    const then = Date.now() / 1000 - options.idleFor;
    fs.utimesSync(activity, then, then);
    const result = spawnSync("bash", [SCRIPT], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        DSTACK_BOOTSTRAP_ROOT: root,
        DSTACK_UPTIME_FILE: path.join(dir, "uptime"),
        DSTACK_INACTIVITY_SECONDS: String(options.inactivity),
        DSTACK_MAX_SECONDS: String(options.max),
      },
    });
    assert.equal(result.status, 0, result.stderr);
    const log = fs.existsSync(path.join(root, "var/log/dstack-bootstrap.log")) ? fs.readFileSync(path.join(root, "var/log/dstack-bootstrap.log"), "utf8") : "";
    return {
      calls: fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [],
      log: log.replace(/^\S+ /gm, ""),
      activityAge: Math.round(Date.now() / 1000 - fs.statSync(activity).mtimeMs / 1000),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SS = "ss -Htn state established ( sport = :22 or sport = :10022 )";

describe("bootstrap idle check", () => {
  it("max_duration reached: powers off, whatever the connections", () => {
    const result = check({ uptime: 28800, inactivity: 7200, max: 28800, connections: true, idleFor: 0 });
    assert.deepEqual(result.calls, ["systemctl poweroff"]);
    assert.equal(result.log, "dstack-idle: max_duration reached (28800s up, limit 28800s): powering off\n");
  });

  it("no SSH connection for inactivity_duration: powers off", () => {
    const result = check({ uptime: 9000, inactivity: 7200, max: 28800, connections: false, idleFor: 7300 });
    assert.deepEqual(result.calls, [SS, "systemctl poweroff"]);
    assert.match(result.log, /^dstack-idle: no SSH connection for 73\d\ds \(limit 7200s\): powering off\n$/);
  });

  it("an SSH connection counts as activity: no power off, the clock restarts", () => {
    const result = check({ uptime: 9000, inactivity: 7200, max: 28800, connections: true, idleFor: 7300 });
    assert.deepEqual(result.calls, [SS]);
    assert.equal(result.log, "");
    assert.ok(result.activityAge <= 2, `last activity ${result.activityAge}s ago`);
  });

  it("within both limits, or with no limits: nothing happens", () => {
    assert.deepEqual(check({ uptime: 100, inactivity: 7200, max: 28800, connections: false, idleFor: 60 }).calls, [SS]);
    assert.deepEqual(check({ uptime: 999999, inactivity: 0, max: 0, connections: false, idleFor: 999999 }).calls, []);
  });
});
