/**
 * One side of the environments benchmark, run in a fresh process by bench/environments.ts, under
 * the test suite's mock runtime (test/support/pulumi-mocks.ts, stack `dstack-test/test`):
 *
 *     node dist/bench/environments-run.js ours            the 100 DevEnvironments (environment-specs.ts)
 *     node dist/bench/environments-run.js record FILE     the same, writing what was registered to FILE
 *     node dist/bench/environments-run.js baseline FILE   FILE's resources registered directly (replay.ts)
 *     node dist/bench/environments-run.js check FILE      the baseline, then fails unless it registered FILE's resources
 *
 * Prints one JSON line: the program's milliseconds (from its first declaration until every
 * registration is answered), the process's CPU milliseconds (user + system, start-up included)
 * and peak RSS, and how many resources were registered.
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import type * as pulumi from "@pulumi/pulumi";
import { pulumiMocks, settled, type MockRecorder } from "../test/support/pulumi-mocks";
import { compareRecords, noteChild, readRecord, recordOf, replay, type Recorded } from "./replay";

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDstackPulumiBenchKeyDstackPulumiBenchKey0 bench@example";
const OUTPUTS = ["offer", "pricePerHour", "instanceId", "publicIp", "zone", "sshCommand", "sshConfig", "ideUrl", "ports", "warnings"] as const;

/**
 * Declares the environments. `record` also notes each resource's parent and options and returns
 * the components' outputs; a timed run only waits, as the baseline does, until every registration
 * (the components' outputs included) is answered.
 */
async function declareOurs(recorder: MockRecorder, record: boolean): Promise<Recorded["components"]> {
  const { answerInvokes } = await import("../test/support/component-harness");
  const { DevEnvironment } = await import("../components/dev-environment");
  const { benchEnvironments } = await import("./environment-specs");
  answerInvokes(recorder);
  const declared = benchEnvironments().map(({ name, args }) => ({
    name,
    env: new DevEnvironment(name, { sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], ...args }, record ? { transformations: [noteChild] } : {}),
  }));
  if (!record) return [];
  return Promise.all(declared.map(async ({ name, env }) => {
    const values = await Promise.all(OUTPUTS.map((key) => new Promise((resolve) => (env[key] as pulumi.Output<unknown>).apply(resolve))));
    return { name, outputs: Object.fromEntries(OUTPUTS.map((key, i) => [key, values[i]])) };
  }));
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (!["ours", "record", "baseline", "check"].includes(mode) || (mode !== "ours" && !file)) {
    throw new Error("usage: environments-run.js ours | record FILE | baseline FILE | check FILE");
  }
  const recorder = await pulumiMocks();
  const given = mode === "baseline" || mode === "check" ? readRecord(file) : undefined;
  const start = performance.now();
  let components: Recorded["components"] = given?.components ?? [];
  if (given) replay(given, mode === "check" ? [noteChild] : []);
  else components = await declareOurs(recorder, mode === "record");
  await settled();
  const programMs = performance.now() - start;
  const { maxRSS: maxRssKb, userCPUTime, systemCPUTime } = process.resourceUsage();
  const cpuMs = (userCPUTime + systemCPUTime) / 1000;
  if (mode === "record") fs.writeFileSync(file, JSON.stringify(recordOf(recorder, components)));
  if (mode === "check") compareRecords(given!, recordOf(recorder, components));
  console.log(JSON.stringify({ mode, programMs, cpuMs, maxRssKb, registrations: recorder.registrations.length }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
