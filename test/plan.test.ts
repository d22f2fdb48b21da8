/**
 * `dstack-pulumi plan`, run as users run it (the launcher, a fresh process: plan sets up Pulumi's
 * mock runtime for itself): `--json` goldens for every example, byte-identical runs, the human
 * output's sections, exit codes; and the README's first command, taken from the README itself.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { assertGolden } from "./support/golden";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");
const GOLDEN = path.join(ROOT, "test", "fixtures", "plan");
const EXAMPLES = fs.readdirSync(path.join(ROOT, "examples")).filter((name) => fs.existsSync(path.join(ROOT, "examples", name, ".dstack.yml"))).sort();
/** A clean environment: no env value of the examples leaks in from the machine. */
const ENV = { PATH: process.env.PATH, HOME: "/nonexistent", NO_COLOR: "1" };

function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(BIN, ["plan", ...args], { cwd: ROOT, encoding: "utf8", env: ENV, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("plan", () => {
  for (const example of EXAMPLES) {
    it(`--json golden: examples/${example}`, () => {
      const result = plan("--json", "--no-repo", `examples/${example}/.dstack.yml`);
      assert.equal(result.status, 0, result.stderr);
      assertGolden(path.join(GOLDEN, `${example}.json`), result.stdout, `plan --json examples/${example}`);
      const json = JSON.parse(result.stdout);
      // `fallback` only when the configuration has retry.
      const fallback = /\nretry:/.test(fs.readFileSync(path.join(ROOT, "examples", example, ".dstack.yml"), "utf8")) ? ["fallback"] : [];
      assert.deepEqual(Object.keys(json), ["configuration", "catalog", "offer", "runners_up", ...fallback, "resources", "boot_script", "cost", "day_two", "outputs", "warnings"]);
      assert.ok(!result.stdout.includes("[missing]"), "a planned secret value shows");
    });
  }

  it("with retry: the fallback order pulumi up and dstack-pulumi up would try, and the fleet's overrides", () => {
    const result = plan("--no-repo", "examples/capacity/.dstack.yml");
    assert.equal(result.status, 0, result.stderr);
    const section = result.stdout.slice(result.stdout.indexOf("\nFallback"), result.stdout.indexOf("\nResources"));
    assert.deepEqual(section.trim().split("\n").slice(0, 6), [
      "Fallback (retry: keep looking for capacity for up to 45m):",
      "  pulumi up: one EC2 Fleet request over 4 overrides, the first with capacity launches: g6.xlarge@us-east-1a, g6.2xlarge@us-east-1a, g5.xlarge@us-east-1a, g5.2xlarge@us-east-1a",
      "    (offline, plan knows no AWS zones: pulumi up puts each type in every zone of the region that offers it, unless a volume holds the VM to one)",
      "  dstack-pulumi up, after a capacity error (the zones the error names first), in this order:",
      "    1. aws us-east-1 g6.xlarge: 4 CPUs, 16GB, 1xL4 (24GB), 150GB disk, on-demand, $0.8048/h",
      "    2. aws us-west-2 g6.xlarge: 4 CPUs, 16GB, 1xL4 (24GB), 150GB disk, on-demand, $0.8048/h",
    ]);
    assert.equal(section.trim().split("\n").length, 4 + 8);
  });

  it("a TPU slice with retry: one request in Cloud TPU's queue, waiting retry.duration; the queued resource without its provider's code", () => {
    const config = "type: dev-environment\nname: tpu-q\nide: vscode\nresources:\n  gpu: v5litepod-8\nbackends: [gcp]\nregions: [us-east5]\nspot_policy: spot\nretry:\n  on_events: [no-capacity]\n  duration: 2h\n";
    const run = (...args: string[]) => spawnSync(BIN, ["plan", "--no-repo", ...args, "-"], { cwd: ROOT, encoding: "utf8", env: ENV, input: config, timeout: 60_000 });
    const json = run("--json");
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { fallback: { queued_tpu: unknown }; resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
    assert.deepEqual(parsed.fallback.queued_tpu, { accelerator_type: "v5litepod-8", zone: "us-east5-a", tier: "spot", wait_seconds: 7200 });
    const queued = parsed.resources.filter((resource) => resource.type === "pulumi-nodejs:dynamic/dstack:TpuQueuedResource");
    assert.deepEqual(queued.map((resource) => resource.name), ["tpu-q-vm"]);
    assert.deepEqual(Object.keys(queued[0].inputs).sort(), ["acceleratorType", "description", "labels", "metadata", "networkConfig", "nodeId", "project", "runtimeVersion", "serviceAccount", "spot", "tags", "validUntilSeconds", "zone"]);
    assert.ok(!json.stdout.includes("__provider") && !json.stdout.includes("tpu-queued-ops"), "no provider code in the plan");
    const text = run();
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.includes("\n  pulumi up: one request in Cloud TPU's queue for v5litepod-8 (spot) in us-east5-a, waiting up to 2h for capacity (a queued resource; pulumi up waits with it)\n"), text.stdout.slice(0, 1500));
    assert.ok(text.stdout.includes("\n  pulumi-nodejs:dynamic/dstack:TpuQueuedResource tpu-q-vm\n"));
  });

  it("the same file gives byte-identical output; the sections of the human output", () => {
    const first = plan("examples/gpu/.dstack.yml");
    const second = plan("examples/gpu/.dstack.yml");
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, second.stdout);
    const headings = first.stdout.split("\n").filter((line) => /^(Offer|Next offers|Resources|Cost|Connect|Warnings|Boot script)/.test(line)).map((line) => line.replace(/[ (:].*$/, ""));
    assert.deepEqual(headings, ["Offer", "Next", "Resources", "Cost", "Connect", "Warnings", "Boot"]);
    assert.match(first.stdout, /\n {6}secretData: "\[secret\]"\n/);
    assert.match(first.stdout, /\nBoot script:\n#!\/bin\/bash\n/);
  });

  it("what the component refuses, a missing key file, standard input: one line or a plan, never a stack trace", () => {
    const bad = spawnSync(BIN, ["plan", "-"], { cwd: ROOT, encoding: "utf8", env: ENV, input: "type: dev-environment\nide: vscode\nbackends: [gcp]\nvolumes:\n  - \"Bad_Name!:/data\"\n" });
    assert.deepEqual([bad.status, bad.stderr], [1, 'dstack-pulumi: plan: dev: volume name "Bad_Name!" is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to 54)\n']);
    const key = plan("--ssh-public-key", "/nonexistent/id.pub", "examples/gpu/.dstack.yml");
    assert.deepEqual([key.status, key.stderr], [1, "dstack-pulumi: plan: cannot read the SSH public key /nonexistent/id.pub: ENOENT\n"]);
    const stdin = spawnSync(BIN, ["plan", "-"], { cwd: ROOT, encoding: "utf8", env: ENV, input: "type: dev-environment\nide: vscode\nresources:\n  gpu: T4\n" });
    assert.equal(stdin.status, 0, stdin.stderr);
    assert.match(stdin.stdout, /^<stdin>: a dev environment with vscode; /);
  });

  it("exit codes: 1 for an invalid configuration, 3 when nothing matches", () => {
    const invalid = spawnSync(BIN, ["plan", "-"], { cwd: ROOT, encoding: "utf8", env: ENV, input: "type: dev-environment\nide: vscode\nspot_polcy: auto\n" });
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /<stdin>:3:1 {2}spot_polcy: unknown field/);
    const none = spawnSync(BIN, ["plan", "-"], { cwd: ROOT, encoding: "utf8", env: ENV, input: "type: dev-environment\nide: vscode\nbackends: [aws]\nresources:\n  gpu: A100:80GB:2\n" });
    assert.equal(none.status, 3);
    assert.match(none.stderr, /^no aws offer for 2 x A100 80GB, on-demand: gpu count 2 removed the last 6 candidates\nnearest:\n {2}p4de\.24xlarge/);
  });

  it("the README's first command runs as written and starts as the README shows", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    const command = block.split("\n").find((line) => line.trim() !== "" && !line.startsWith("#"))!;
    assert.match(command, /^npm ci && /, "the first command installs, then runs the main job");
    // `npm ci` already ran for this checkout; the rest is run as written, by bash.
    const result = spawnSync("bash", ["-c", command.replace(/^npm ci && /, "")], { cwd: ROOT, encoding: "utf8", env: ENV });
    assert.equal(result.status, 0, result.stderr);
    const shown = /The first command's output starts with:\n\n```\n([\s\S]*?)```/.exec(readme)![1];
    assert.ok(result.stdout.startsWith(shown), `the output does not start with the README's:\n${shown}`);
  });

  /** The @pulumi packages a CLI command loads, in a fresh process. */
  function pulumiModulesLoadedBy(...argv: string[]): string[] {
    const script = `
      const { main } = require(${JSON.stringify(path.join(ROOT, "dist/cli/main.js"))});
      const output = { stdout: () => {}, stderr: () => {}, palette: { red: (t) => t, bold: (t) => t, dim: (t) => t, cyan: (t) => t } };
      Promise.resolve(main(${JSON.stringify(argv)}, output)).then((code) => {
        const loaded = new Set(Object.keys(require.cache).map((file) => (/node_modules\\/(@pulumi\\/[a-z]+)\\//.exec(file) || [])[1]).filter(Boolean));
        console.log(JSON.stringify({ code, loaded: [...loaded].sort() }));
      });`;
    const result = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: ENV, timeout: 60_000 });
    const last = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { code: number; loaded: string[] };
    assert.equal(last.code, 0, result.stderr);
    return last.loaded;
  }

  it("validate, offers and schema load no Pulumi module; plan loads only the cloud it needs", () => {
    assert.deepEqual(pulumiModulesLoadedBy("validate", "examples/gpu/.dstack.yml"), []);
    assert.deepEqual(pulumiModulesLoadedBy("offers", "examples/gpu/.dstack.yml"), []);
    assert.deepEqual(pulumiModulesLoadedBy("schema"), []);
    assert.deepEqual(pulumiModulesLoadedBy("plan", "examples/tpu/.dstack.yml"), ["@pulumi/gcp", "@pulumi/pulumi"]);
    assert.deepEqual(pulumiModulesLoadedBy("plan", "examples/private-registry/.dstack.yml"), ["@pulumi/aws", "@pulumi/pulumi"]);
  });
});
