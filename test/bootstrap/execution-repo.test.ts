/**
 * Execution tests of the `repository` step (scenario aws-repo): the bootstrap clones a real
 * repository with the real git from a smart-HTTP server on this machine that requires a token
 * (test/support/git-http-server.ts); docker and the cloud CLIs are the sandbox's stubs. The first
 * boot clones the configured commit onto its branch before the container starts, the token given
 * through GIT_ASKPASS only; later boots leave /workflow alone; a failed clone stops the boot and
 * leaves nothing behind.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BootstrapInput } from "../../bootstrap/types";
import { BOOT_TOOLS, BootstrapSandbox, callsOf, scenarioScript, steps } from "../support/bootstrap-sandbox";
import { scenarios } from "../support/bootstrap-scenarios";
import { startGitServer, type GitServer } from "../support/git-http-server";
import { makeRepo } from "../support/git-repos";
import { describeNeeds, toolPath } from "../support/system-tools";

const TOKEN = "ghp_REPOTOKEN0123456789secret";
const HF_TOKEN = "hf_REPOBOXSECRET42";
const NAME = "dstack-repo-box";
const { input: BASE } = scenarios().find((scenario) => scenario.name === "aws-repo")!;

function git(dir: string, ...args: string[]): string {
  return execFileSync(toolPath("git"), ["-C", dir, ...args], { encoding: "utf8" }).trim();
}

describe("bootstrap execution: the repository in /workflow", () => {
  let dir: string;
  let server: GitServer;
  let url: string;
  let commits: string[];
  const boxes: BootstrapSandbox[] = [];

  // The repository, its server (git http-backend) and the clone at boot use the real git.
  describeNeeds(["git", ...BOOT_TOOLS]);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-repo-"));
    commits = makeRepo(dir, "research", [{ "requirements.txt": "numpy==1.26.4\n" }, { "requirements.txt": "numpy==2.0.0\n", "later.txt": "after the configured commit\n" }]);
    server = await startGitServer(dir, path.join(dir, "requests.jsonl"), TOKEN);
    url = `${server.base}/research.git`;
  });
  after(() => {
    server?.stop();
    boxes.forEach((box) => box.remove());
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The scenario's script with the local repository, at `hash` (the first commit unless said). */
  function script(edit: Partial<NonNullable<BootstrapInput["repo"]>> = {}): string {
    return scenarioScript("aws-repo", (input) => ({ ...input, repo: { ...input.repo!, url, hash: commits[0]!, ...edit } }));
  }

  /** A sandbox whose fake SSM holds HF_TOKEN and the repository's token (`token`). */
  function box(token = TOKEN): BootstrapSandbox {
    const sandbox = new BootstrapSandbox();
    boxes.push(sandbox);
    sandbox.putSecret(BASE.secretEnv.HF_TOKEN!, HF_TOKEN);
    sandbox.putSecret(BASE.repo!.token!, token);
    return sandbox;
  }

  it("the first boot clones the configured commit onto its branch, before the container starts, with the token through GIT_ASKPASS only", () => {
    const sandbox = box();
    const first = server.requests().length;
    const text = script();
    const run = sandbox.run(text);
    assert.equal(run.status, 0, run.stderr);
    const workflow = sandbox.at("/var/lib/dstack-pulumi/workflow");

    assert.equal(git(workflow, "rev-parse", "HEAD"), commits[0]);
    assert.equal(git(workflow, "symbolic-ref", "--short", "HEAD"), "main");
    assert.equal(git(workflow, "rev-parse", "origin/main"), commits[1], "the branch's head is later than the configured commit");
    assert.equal(fs.readFileSync(path.join(workflow, "requirements.txt"), "utf8"), "numpy==1.26.4\n");
    assert.equal(git(workflow, "config", "--get", "remote.origin.url"), url);
    assert.equal(fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/workflow-repo"), "utf8"), `${commits[0]}\n`);
    assert.deepEqual(callsOf(run.calls, "git"), [
      ["-c", "credential.helper=", "clone", "--quiet", "--branch", "main", "--single-branch", "--", url, workflow],
      ["-C", workflow, "cat-file", "-e", `${commits[0]}^{commit}`],
      ["-C", workflow, "checkout", "--quiet", "-B", "main", commits[0]!],
      ["-C", workflow, "rev-parse", "HEAD"],
    ]);
    const clone = run.calls.findIndex(([command]) => command === "git");
    assert.ok(clone >= 0 && clone < run.calls.findIndex(([command, sub]) => command === "docker" && sub === "run"), "the clone comes before docker run");
    assert.deepEqual(steps(run.log), ["prepare", "ssh key", "docker", "removed volumes", "container files", "repository", "secrets", "image", "container", "timers", "finish"]);
    assert.ok(run.log.includes(`/workflow: ${url} cloned, main at ${commits[0]}`));

    // git asked without credentials first, then with the token as x-access-token's password,
    // and while it did, no process held the token in its arguments or environment.
    const requests = server.requests().slice(first);
    assert.deepEqual(requests[0], { method: "GET", path: "/research.git/info/refs?service=git-upload-pack", user: null, authorized: false, leaks: [] });
    assert.ok(requests.length > 1 && requests.slice(1).every((request) => request.authorized && request.user === "x-access-token"));
    assert.deepEqual(requests.flatMap((request) => request.leaks), []);

    // The token is in no argument, log, output, the script, or file of the VM (.git/config included).
    assert.deepEqual(fs.readdirSync(sandbox.at("/run/dstack-pulumi")).sort(), ["docker", "secrets.env"]);
    const files = [...sandbox.snapshot("/").keys()];
    assert.ok(files.includes("var/lib/dstack-pulumi/workflow/.git/config"));
    const places: [string, string][] = [
      ["calls.log", sandbox.read("calls.log")],
      ["the script", text],
      ["stdout and stderr", run.stdout + run.stderr],
      ...files.map((file): [string, string] => [file, fs.readFileSync(sandbox.at(`/${file}`), "latin1")]),
    ];
    for (const [place, content] of places) assert.ok(!content.includes(TOKEN), `the token shows up in ${place}`);
  });

  it("the container as dstack's shim runs it: entrypoint /bin/sh, root, its tmpfs with the secrets file and host keys mounted in it, no --env-file", () => {
    const sandbox = box();
    assert.equal(sandbox.run(script()).status, 0);
    const R = sandbox.root;
    const { args } = sandbox.container(NAME)!;
    assert.deepEqual(args, [
      "--restart", "no", "--network", "host", "--entrypoint", "/bin/sh", "--user", "0",
      "-e", "DSTACK_RUN_NAME=repo-box", "-e", "DSTACK_REPO_ID=repo-box", "-e", "DSTACK_GPUS_NUM=0", "-e", "DSTACK_WORKING_DIR=/workflow", "-e", "HOME=/root", "-e", "MODE=first",
      "--tmpfs", "/run/dstack-pulumi:mode=0755",
      "-v", `${R}/run/dstack-pulumi/secrets.env:/run/dstack-pulumi/secrets.env:ro`,
      "-v", `${R}/var/lib/dstack-pulumi/ssh-host-keys:/run/dstack-pulumi/host-keys:ro`,
      "-v", `${R}/var/lib/dstack-pulumi/container:/dstack-pulumi:ro`,
      "-v", `${R}/var/log/dstack-pulumi:/var/log/dstack-pulumi`,
      "-v", `${R}/var/lib/dstack-pulumi/workflow:/workflow`,
      "-w", "/workflow", "dstackai/base:py3.11-0.6-cuda-12.1", "/dstack-pulumi/init-container.sh",
    ]);
    assert.equal(fs.readFileSync(sandbox.at("/run/dstack-pulumi/secrets.env"), "utf8"), `HF_TOKEN=${HF_TOKEN}\n`);
    assert.equal(
      fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/container/container.env"), "utf8"),
      "DSTACK_IDE='vscode'\nDSTACK_IDE_VERSION='1c2e9ea4e1b1e4a5b7b2d1b0fa0a8f0b00b4c1f2'\nDSTACK_SHELL='/bin/bash'\nDSTACK_WORKING_DIR='/workflow'\nDSTACK_USER='1000:1000'\nDSTACK_SSH_PORT='10022'\n",
    );
    assert.equal(
      fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/container/init.sh"), "utf8"),
      '(pip install -q --no-cache-dir ipykernel 2> /dev/null) || echo "no pip, ipykernel was not installed" && echo && pip install -r requirements.txt && { nohup python3 -m http.server 8888 >/dev/null 2>&1 & }\n',
    );
  });

  it("a second boot neither reads the token nor calls git: the user's work in /workflow stays as it is", () => {
    const sandbox = box();
    assert.equal(sandbox.run(script()).status, 0);
    const workflow = sandbox.at("/var/lib/dstack-pulumi/workflow");
    fs.writeFileSync(path.join(workflow, "requirements.txt"), "edited by the user\n");
    const marker = fs.statSync(sandbox.at("/var/lib/dstack-pulumi/workflow-repo"));
    const requests = server.requests().length;

    // Even with another commit configured since: the folder is the user's now.
    const run = sandbox.run(script({ hash: commits[1]! }));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(callsOf(run.calls, "git"), []);
    assert.deepEqual(callsOf(run.calls, "aws").map((args) => args[5]), ["/dstack/dstack-test/test/repo-box/env/HF_TOKEN"]);
    assert.equal(server.requests().length, requests);
    assert.ok(run.log.includes("/workflow: cloned at the first boot, left as it is"));
    assert.equal(fs.readFileSync(path.join(workflow, "requirements.txt"), "utf8"), "edited by the user\n");
    assert.equal(git(workflow, "rev-parse", "HEAD"), commits[0]);
    assert.equal(fs.statSync(sandbox.at("/var/lib/dstack-pulumi/workflow-repo")).mtimeMs, marker.mtimeMs);
  });

  const failures = [
    { what: "a wrong token", token: "ghp_WRONG", hash: 0, reason: `fatal: Authentication failed for '${"URL"}/'` },
    { what: "a commit the remote does not have (the clone itself worked)", token: TOKEN, hash: -1, reason: "fatal: remote error: upload-pack: not our ref 0000000000000000000000000000000000000001" },
  ];
  for (const { what, token, hash, reason } of failures) {
    it(`a failed clone (${what}): 3 attempts, the boot stops in step 'repository', /workflow is left empty and no container starts; the next boot clones`, () => {
      const sandbox = box(token);
      const missing = "0000000000000000000000000000000000000001";
      const run = sandbox.run(script(hash < 0 ? { hash: missing } : {}));
      assert.equal(run.status, 1);
      assert.deepEqual(run.log.slice(-2), [
        "gave up after 3 attempts: clone_attempt",
        `FAILED in step 'repository': cloning ${url} into /workflow failed (${reason.replace("URL", url)}); /workflow is left empty`,
      ]);
      assert.equal(callsOf(run.calls, "git", "-c", "credential.helper=", "clone").length, 3);
      assert.deepEqual(fs.readdirSync(sandbox.at("/var/lib/dstack-pulumi/workflow")), []);
      assert.equal(fs.existsSync(sandbox.at("/var/lib/dstack-pulumi/workflow-repo")), false);
      assert.equal(fs.existsSync(sandbox.at("/run/dstack-pulumi/repo-token")), false);
      assert.deepEqual(callsOf(run.calls, "docker", "run"), []);
      assert.equal(sandbox.container(NAME), undefined);

      sandbox.putSecret(BASE.repo!.token!, TOKEN);
      const again = sandbox.run(script());
      assert.equal(again.status, 0, again.stderr);
      assert.equal(git(sandbox.at("/var/lib/dstack-pulumi/workflow"), "rev-parse", "HEAD"), commits[0]);
      assert.equal(sandbox.container(NAME)?.running, true);
    });
  }

  it("a /workflow that is not empty (no clone recorded) is not cloned into", () => {
    const sandbox = box();
    fs.mkdirSync(sandbox.at("/var/lib/dstack-pulumi/workflow"), { recursive: true });
    fs.writeFileSync(sandbox.at("/var/lib/dstack-pulumi/workflow/notes.txt"), "mine\n");
    const run = sandbox.run(script());
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(callsOf(run.calls, "git"), []);
    assert.ok(run.log.includes(`/workflow is not empty: ${url} is not cloned into it`));
    assert.deepEqual(fs.readdirSync(sandbox.at("/var/lib/dstack-pulumi/workflow")), ["notes.txt"]);
  });
});
