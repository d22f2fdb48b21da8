/**
 * `dstack-pulumi up` as users run it (the launcher, a fresh process), with a stand-in Pulumi CLI
 * first on PATH that the Automation API drives: the commands and flags it is run with, the
 * sequence of offers tried through the lock, `--json` events, and how it ends: success, a quota
 * (exit 6, not retried), no capacity without retry (exit 5).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diagnostics, EC2_QUOTA } from "../support/capacity-messages";
import { pulumiStub, stubCalls } from "../support/pulumi-stub";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");
const CONFIG = "type: dev-environment\nname: box\nide: vscode\nresources:\n  gpu: L4\nbackends: [aws, gcp]\nregions: [us-east-1, us-central1]\n";
const RETRY = "retry:\n  on_events: [no-capacity]\n  duration: 30m\n";

const gceFull = (zone: string) => diagnostics("gcp:compute:Instance (box-vm)", `Error waiting for instance to create: The zone 'projects/p/zones/${zone}' does not have enough resources available to fulfill the request.  Try a different zone, or try again later. ZONE_RESOURCE_POOL_EXHAUSTED`);
const ec2Full = diagnostics("aws:ec2:Instance (box-vm)", "creating EC2 Instance: operation error EC2: RunInstances, api error InsufficientInstanceCapacity: We currently do not have sufficient g6.xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. You can currently get g6.xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1b.");

/** Runs `dstack-pulumi up` in a project folder with the stub first on PATH; `errors`: the update's error by lock key. */
function up(config: string, errors: Record<string, string>, ...flags: string[]) {
  const project = mkdtempSync(path.join(tmpdir(), "dstack-up-"));
  const file = path.join(project, ".dstack.yml");
  writeFileSync(file, config);
  writeFileSync(path.join(project, "Pulumi.yaml"), "name: box\nruntime: nodejs\n");
  const stub = pulumiStub();
  const lockFile = path.join(project, ".dstack.lock.json");
  const env = { PATH: `${stub.bin}:${process.env.PATH}`, HOME: project, NO_COLOR: "1", STUB_LOG: stub.log, STUB_LOCK: lockFile, STUB_STACK: "dev", STUB_ERRORS: JSON.stringify(errors) };
  const result = spawnSync(BIN, ["up", "--stack", "dev", "--cwd", project, ...flags, file], { cwd: project, encoding: "utf8", env, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: stubCalls(stub.log), lockFile };
}

describe("dstack-pulumi up against a stand-in Pulumi CLI", () => {
  it("tries the next offers through the lock until one has capacity; the Automation API's commands and flags; --json events", () => {
    const errors = { default: gceFull("us-central1-a"), "g2-standard-4@us-central1-b": gceFull("us-central1-b"), "g2-standard-4@us-central1-c": gceFull("us-central1-c"), "g6.xlarge": ec2Full };
    const result = up(CONFIG + RETRY, errors, "--json");
    assert.equal(result.status, 0, result.stderr + result.stdout);
    const updates = result.calls.filter((call) => call.args[0] === "up");
    assert.deepEqual(updates.map((call) => call.lock), ["default", "g2-standard-4@us-central1-b", "g2-standard-4@us-central1-c", "g6.xlarge", "g6.xlarge@us-east-1b"]);
    assert.deepEqual(updates[0].args, ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--stack", "dev", "--non-interactive"]);
    assert.deepEqual(result.calls.slice(0, 2).map((call) => call.args), [["version"], ["stack", "select", "--stack", "dev", "--non-interactive"]]);
    const lock = JSON.parse(readFileSync(result.lockFile, "utf8")) as { offer: { backend: string; instance_type: string }; zone: string | null };
    assert.deepEqual([lock.offer.backend, lock.offer.instance_type, lock.zone], ["aws", "g6.xlarge", "us-east-1b"]);
    const events = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(events.map((event) => event.event), [
      "attempt", "capacity_error", "lock_written",
      "attempt", "capacity_error", "lock_written",
      "attempt", "capacity_error", "lock_written",
      "attempt", "capacity_error", "lock_written",
      "attempt", "done",
    ]);
    assert.deepEqual(events[10], { event: "capacity_error", attempt: 4, reason: "creating EC2 Instance: operation error EC2: RunInstances, api error InsufficientInstanceCapacity: We currently do not have sufficient g6.xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. You can currently get g6.xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1b.", zones_available: ["us-east-1b"] });
    assert.deepEqual(events[11], { event: "lock_written", file: result.lockFile, offer: { backend: "aws", region: "us-east-1", instance_type: "g6.xlarge", spot: false, price_per_hour: 0.8048 }, zone: "us-east-1b" });
    assert.deepEqual(events.at(-1), { event: "done", outcome: "succeeded", attempts: 5, message: "aws us-east-1 g6.xlarge (us-east-1b): the update succeeded" });
    assert.equal(result.stderr, "");
  });

  it("a quota error: exit 6, its own message, not retried, no lock", () => {
    const result = up(CONFIG + RETRY, { default: EC2_QUOTA }, "--json");
    assert.equal(result.status, 6);
    assert.equal(result.calls.filter((call) => call.args[0] === "up").length, 1);
    assert.equal(existsSync(result.lockFile), false);
    // The events, one per line, then the error object every command prints (indented).
    const [events, object] = result.stdout.split(/\n(?=\{\n)/);
    assert.deepEqual(events.split("\n").map((line) => (JSON.parse(line) as { event: string }).event), ["attempt"]);
    const error = (JSON.parse(object) as { error: { code: string; message: string; attempts: number } }).error;
    assert.equal(error.code, "quota_exceeded");
    assert.equal(error.attempts, 1);
    assert.match(error.message, /a quota stops the update, and retrying does not lift it: .*VcpuLimitExceeded/);
  });

  it("no retry in the file: one update; no capacity is exit 5 with how to retry; progress on stderr, Pulumi's output on stdout", () => {
    const result = up(CONFIG, { default: gceFull("us-central1-a") });
    assert.equal(result.status, 5);
    assert.equal(result.calls.filter((call) => call.args[0] === "up").length, 1);
    assert.equal(existsSync(result.lockFile), false);
    assert.ok(result.stdout.includes("ZONE_RESOURCE_POOL_EXHAUSTED"), "Pulumi's output reaches stdout");
    assert.deepEqual(result.stderr.trim().split("\n").map((line) => line.replace(/: .*/, ":")), ["dstack-pulumi up:", "dstack-pulumi up:", "dstack-pulumi:"]);
    assert.ok(result.stderr.includes("The configuration has no retry: add retry: {on_events: [no-capacity], duration: 1h} to try the next offers"));
  });

  it("a stack that cannot be selected: exit 1, the CLI's message", () => {
    const result = up(CONFIG + RETRY, {}, "--json", "--stack", "prod");
    assert.equal(result.status, 1);
    const error = (JSON.parse(result.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "update_failed");
    assert.match(error.message, /^cannot select the stack prod in .*: .*no stack named 'prod' found/);
  });
});
