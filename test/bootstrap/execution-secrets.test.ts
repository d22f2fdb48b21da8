/**
 * Execution tests of private-registry-secrets: the bootstrap reads two env secrets and the registry
 * password from (fake) SSM at boot. The values reach the container only through the 0600 env file
 * in /run, mounted read-only into the container (no `--env-file`: Docker keeps no value), and
 * `docker login` only on standard input: none shows up in a command's arguments, the log, the
 * script or any other file. See test/support/bootstrap-sandbox.ts for the sandbox.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { BOOT_TOOLS, BootstrapSandbox, callsOf, scenarioScript, steps, type RunResult } from "../support/bootstrap-sandbox";
import { describeNeeds } from "../support/system-tools";
import { scenarios } from "../support/bootstrap-scenarios";
import { runArgs } from "../support/container-args";

const SECRET_ENV = { HF_TOKEN: "hf_SECRETVALUE123", GHCR_TOKEN: "ghp_REGISTRYTOKEN456" };
const PASSWORD = "pw-REGISTRY-789";
const SECRET_VALUES = [...Object.values(SECRET_ENV), PASSWORD];
const NAME = "dstack-private";
const ENV_FILE = "/run/dstack-pulumi/secrets.env";

function ssmGet(parameter: string): string[] {
  return ["ssm", "get-parameter", "--region", "us-east-1", "--name", parameter, "--with-decryption", "--query", "Parameter.Value", "--output", "text"];
}

/** A sandbox whose fake SSM holds the scenario's secrets (all but those in `leaveOut`). */
function secretBox(leaveOut: string[] = []): BootstrapSandbox {
  const { input } = scenarios().find((scenario) => scenario.name === "private-registry-secrets")!;
  const box = new BootstrapSandbox();
  for (const [name, value] of Object.entries(SECRET_ENV)) if (!leaveOut.includes(name)) box.putSecret(input.secretEnv[name]!, value);
  box.putSecret(input.registryPassword!, PASSWORD);
  return box;
}

describe("bootstrap execution: private-registry-secrets", () => {
  const script = scenarioScript("private-registry-secrets");
  let box: BootstrapSandbox;
  let first: RunResult;
  let second: RunResult;

  describeNeeds(BOOT_TOOLS);
  before(() => {
    box = secretBox();
    first = box.run(script);
    second = box.run(script);
  });
  after(() => box?.remove());

  it("reads the secrets with the VM's role, each into a file of mode 600, and mounts secrets.env (mode 600) read-only into the container", () => {
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(callsOf(first.calls, "aws"), [ssmGet("/dstack/dstack-test/test/private/env/GHCR_TOKEN"), ssmGet("/dstack/dstack-test/test/private/env/HF_TOKEN"), ssmGet("/dstack/dstack-test/test/private/registry-password")]);
    assert.equal(box.read("state/secret-file-modes"), "600\n600\n600\n600\n600\n600\n", "a fetched secret's file is not 600 (both boots)");
    const envFile = box.at(ENV_FILE);
    assert.equal(fs.readFileSync(envFile, "utf8"), `GHCR_TOKEN=${SECRET_ENV.GHCR_TOKEN}\nHF_TOKEN=${SECRET_ENV.HF_TOKEN}\n`);
    assert.equal((fs.statSync(envFile).mode & 0o777).toString(8), "600");
    assert.equal((fs.statSync(path.dirname(envFile)).mode & 0o777).toString(8), "700");
    // The fetched files and the password file are gone: only secrets.env and the Docker CLI's
    // config folder (which holds the registry login, in memory) are left in /run/dstack-pulumi.
    assert.deepEqual(fs.readdirSync(path.dirname(envFile)).sort(), ["docker", "secrets.env"]);
    assert.equal((fs.statSync(path.join(path.dirname(envFile), "docker")).mode & 0o777).toString(8), "700");
    assert.deepEqual(
      box.container(NAME)!.args,
      runArgs(box.root, {
        env: ["DSTACK_RUN_NAME=private", "DSTACK_REPO_ID=private", "DSTACK_GPUS_NUM=0", "DSTACK_WORKING_DIR=/workflow", "HOME=/root", "WANDB_MODE=offline"],
        secrets: true,
        image: "ghcr.io/acme/research:2024.06",
      }),
    );
    assert.deepEqual(steps(first.log), ["prepare", "ssh key", "docker", "removed volumes", "container files", "secrets", "registry login", "image", "container", "timers", "finish"]);
  });

  it("logs in to ghcr.io as acme-bot with the password on standard input", () => {
    assert.deepEqual(callsOf(first.calls, "docker", "login"), [["login", "--username", "acme-bot", "--password-stdin", "ghcr.io"]]);
    assert.equal(box.read("state/login"), "acme-bot\nghcr.io\n");
    assert.equal(box.read("state/login-password"), PASSWORD);
    const login = first.calls.findIndex(([name, command]) => name === "docker" && command === "login");
    const pull = first.calls.findIndex(([name, command]) => name === "docker" && command === "pull");
    assert.ok(login >= 0 && login < pull, "docker login does not come before docker pull");
  });

  it("no secret value in the recorded calls, the log, the output, the script or any file of the VM but secrets.env", () => {
    const files = [...box.snapshot("/").keys()].filter((file) => file !== ENV_FILE.slice(1));
    assert.ok(files.includes("var/log/dstack-bootstrap.log") && files.includes("var/lib/dstack-pulumi/container/container.env"));
    const places: [string, string][] = [
      ["calls.log", box.read("calls.log")],
      ["the script", script],
      ["stdout and stderr", [first, second].map((run) => run.stdout + run.stderr).join("")],
      ...files.map((file): [string, string] => [file, fs.readFileSync(box.at(`/${file}`), "latin1")]),
    ];
    for (const value of SECRET_VALUES) {
      for (const [place, text] of places) assert.ok(!text.includes(value), `${value} shows up in ${place}`);
    }
  });

  it("a second boot rewrites the same secrets.env, logs in again and starts nothing", () => {
    assert.equal(second.status, 0, second.stderr);
    assert.equal(fs.readFileSync(box.at(ENV_FILE), "utf8"), `GHCR_TOKEN=${SECRET_ENV.GHCR_TOKEN}\nHF_TOKEN=${SECRET_ENV.HF_TOKEN}\n`);
    assert.equal(callsOf(second.calls, "docker", "login").length, 1);
    assert.deepEqual(callsOf(second.calls, "docker").filter(([command]) => command === "run" || command === "rm" || command === "pull"), []);
  });

  it("a rotated secret does not replace the container: secrets.env has the new value, which the container reads when it next starts", () => {
    const rotated = secretBox();
    try {
      assert.equal(rotated.run(script).status, 0);
      const { label } = rotated.container(NAME)!;
      const { input } = scenarios().find((scenario) => scenario.name === "private-registry-secrets")!;
      rotated.putSecret(input.secretEnv.HF_TOKEN!, "hf_ROTATED000");
      rotated.stopContainer(NAME);
      const result = rotated.run(script);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(callsOf(result.calls, "docker").filter(([command]) => command === "run" || command === "rm" || command === "start"), [["start", NAME]]);
      assert.equal(rotated.container(NAME)!.label, label);
      assert.equal(fs.readFileSync(rotated.at(ENV_FILE), "utf8"), `GHCR_TOKEN=${SECRET_ENV.GHCR_TOKEN}\nHF_TOKEN=hf_ROTATED000\n`);
      assert.ok(!result.log.join("\n").includes("hf_ROTATED000"));
    } finally {
      rotated.remove();
    }
  });

  it("a secret missing from the store: 5 attempts, then the boot fails in step 'secrets' and starts nothing", () => {
    const missing = secretBox(["HF_TOKEN"]);
    try {
      const result = missing.run(script);
      assert.equal(result.status, 1);
      assert.deepEqual(callsOf(result.calls, "aws", "ssm", "get-parameter").map((args) => args[5]), ["/dstack/dstack-test/test/private/env/GHCR_TOKEN", ...Array(5).fill("/dstack/dstack-test/test/private/env/HF_TOKEN")]);
      assert.deepEqual(callsOf(result.calls, "sleep"), Array.from({ length: 4 }, () => ["5"]));
      assert.equal(result.log.at(-2), "gave up after 5 attempts: fetch_secret_aws");
      assert.equal(result.log.at(-1), "FAILED in step 'secrets' (exit 1)");
      assert.deepEqual(callsOf(result.calls, "docker", "run"), []);
      assert.deepEqual(callsOf(result.calls, "docker", "login"), []);
    } finally {
      missing.remove();
    }
  });
});
