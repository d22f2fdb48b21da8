/**
 * End to end: the rendered bootstrap runs a real dev-environment container (podman, through its
 * Docker CLI), and the real ssh reaches it through a real sshd standing for the VM (ProxyJump), with
 * the component's own sshConfig. The cloud CLIs, systemctl and the block devices are the
 * sandbox's stubs (test/support/bootstrap-sandbox.ts); the repository comes from a git server on
 * this machine that requires a token; the images are built here (test/support/container-images.ts).
 * The container sshd listens on a free port instead of 10022 (its one setting in container.env),
 * so that nothing on this machine clashes.
 */
import { strict as assert } from "node:assert";
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { renderBootPayload } from "../../bootstrap/render";
import type { BootstrapInput, SecretRef } from "../../bootstrap/types";
import { parseConfig } from "../../config/read";
import type { ContainerAccess } from "../../components/connection";
import { BootstrapSandbox, callsOf, type RunResult } from "../support/bootstrap-sandbox";
import { scenarios } from "../support/bootstrap-scenarios";
import { docker, removeTestImages, testImages, type TestImages } from "../support/container-images";
import { startGitServer, type GitServer } from "../support/git-http-server";
import { makeRepo } from "../support/git-repos";
import { SshHop, freePort, waitForPort } from "../support/ssh-hop";
import { describeNeeds, toolPath } from "../support/system-tools";

const SECRET = "hf_E2ESECRETVALUE0042";
const ROTATED = "hf_E2EROTATED0043";
const TOKEN = "ghp_E2ETOKEN0123456789";
const HF_REF: SecretRef = { store: "aws-ssm", region: "us-east-1", parameter: "/e2e/env/HF_TOKEN" };
const TOKEN_REF: SecretRef = { store: "aws-ssm", region: "us-east-1", parameter: "/e2e/repo-token" };
const RUN = `e2e-${process.pid}-base`;
const CUSTOM = `e2e-${process.pid}-custom`;

/** A dev environment of this machine: its sandbox, ssh config, container sshd port and script. */
interface Env {
  box: BootstrapSandbox;
  name: string;
  config: string;
  render: (yaml: string) => string;
}

/** Resolves once the container's log has `count` "ready" lines (each start of a container adds one). */
async function ready(box: BootstrapSandbox, count: number): Promise<void> {
  const log = box.at("/var/log/dstack-pulumi/container.log");
  for (let waited = 0; ; waited += 200) {
    const text = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
    if (text.split("\n").filter((line) => line.endsWith(" dstack-container: ready")).length >= count) return;
    if (waited > 60_000) throw new Error(`the container is not ready after 60 s:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function boot(box: BootstrapSandbox, script: string): RunResult {
  const run = box.run(script);
  assert.equal(run.status, 0, `${run.stderr}\n${run.log.join("\n")}`);
  return run;
}

/** The files under these folders that contain `value` (grep -rlF). */
function filesHolding(value: string, dirs: string[]): string[] {
  const grep = spawnSync("grep", ["-rlsF", "--", value, ...dirs], { encoding: "utf8" });
  return grep.stdout.split("\n").filter(Boolean);
}

function httpGet(port: number, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: file }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${response.statusCode}`))));
    }).on("error", reject);
  });
}

describe("bootstrap end to end: a real container and a real ssh", function () {
  this.timeout(300_000);
  const { offer } = scenarios().find((scenario) => scenario.name === "aws-cpu")!.input;
  const cleanups: (() => void)[] = [];
  let images: TestImages;
  let hop: SshHop;
  let server: GitServer;
  let commits: string[];
  let repoUrl: string;
  let ports: { local: number; container: number };

  // podman (as root, through its Docker CLI, with runc) runs the containers of images built with
  // debootstrap; sshd stands for the VM, ssh connects; git serves and clones the repository.
  describeNeeds(["docker", "podman", "runc", "debootstrap", "sshd", "ssh", "ssh-keygen", "git", "root"]);

  /** A sandbox with real docker and the ssh config of `name` (container user, ports). */
  async function environment(name: string, access: ContainerAccess, input: Partial<BootstrapInput>): Promise<Env> {
    const box = new BootstrapSandbox({ realDocker: true, timeoutMs: 120_000 });
    cleanups.push(() => box.remove());
    cleanups.push(() => spawnSync(toolPath("docker"), ["rm", "--force", `dstack-${name}`], { stdio: "ignore" }));
    const sshPort = await freePort();
    const render = (yaml: string) => {
      const spec = parseConfig(yaml);
      const script = renderBootPayload({ target: "aws-vm", runName: name, spec, offer, sshPublicKey: hop.publicKey, volumes: [], secretEnv: {}, ...input }).script;
      const moved = script.replace("DSTACK_SSH_PORT='10022'", `DSTACK_SSH_PORT='${sshPort}'`);
      assert.notEqual(moved, script);
      return moved;
    };
    const config = hop.writeConfig(name, access, sshPort);
    return { box, name, config, render };
  }

  before(async () => {
    images = testImages();
    cleanups.push(removeTestImages);
    hop = await SshHop.start();
    cleanups.push(() => hop.stop());
    const repos = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-repos-"));
    cleanups.push(() => fs.rmSync(repos, { recursive: true, force: true }));
    commits = makeRepo(repos, "research", [{ "requirements.txt": "numpy==1.26.4\n" }, { "requirements.txt": "numpy==2.0.0\n" }]);
    server = await startGitServer(repos, path.join(repos, "requests.jsonl"), TOKEN);
    cleanups.push(() => server.stop());
    repoUrl = `${server.base}/research.git`;
    ports = { local: await freePort(), container: await freePort() };
  });
  after(() => {
    const errors: string[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  });

  describe("dstack's image, a repository with a token, a secret, a port", () => {
    let env: Env;
    let first: RunResult;
    const yaml = (mode: string) =>
      [
        "type: dev-environment", `name: ${RUN}`, "ide: vscode", "version: 1c2e9ea4e1b1e4a5b7b2d1b0fa0a8f0b00b4c1f2",
        "env:", "  - HF_TOKEN", `  - MODE=${mode}`, "ports:", `  - "${ports.local}:${ports.container}"`,
        "init:", "  - cat requirements.txt > /tmp/found-requirements", '  - echo "$VIRTUAL_ENV $(command -v python3)" > /tmp/init-env',
        `  - nohup python3 -m http.server ${ports.container} --bind 127.0.0.1 --directory /workflow >/dev/null 2>&1 &`, "",
      ].join("\n");
    const ssh = (command: string) => hop.ssh(env.config, RUN, command);

    before(async () => {
      env = await environment(RUN, { ports: [{ local_port: ports.local, container_port: ports.container }] }, {
        secretEnv: { HF_TOKEN: HF_REF },
        repo: { url: repoUrl, branch: "main", hash: commits[0]!, singleBranch: true, path: ".", token: TOKEN_REF },
      });
      env.box.putSecret(HF_REF, SECRET);
      env.box.putSecret(TOKEN_REF, TOKEN);
      first = boot(env.box, env.render(yaml("first")));
      await ready(env.box, 1);
    });

    it("the configured commit is in /workflow (not the branch's later head), cloned before the container started; init found its file", () => {
      const added = (host: string) => `Warning: Permanently added '${host}' (ED25519) to the list of known hosts.\r\n`;
      // Host keys are kept under the run's names (sshConfig's HostKeyAlias), not the VM's address.
      assert.deepEqual(ssh("true"), { status: 0, stdout: "", stderr: `${added(`${RUN}-host`)}${added(RUN)}` });
      assert.deepEqual(ssh("git -C /workflow rev-parse HEAD; git -C /workflow symbolic-ref --short HEAD; cat /tmp/found-requirements"), { status: 0, stdout: `${commits[0]}\nmain\nnumpy==1.26.4\n`, stderr: "" });
      const clone = first.calls.findIndex(([command, , , sub]) => command === "git" && sub === "clone");
      const run = first.calls.findIndex(([command, sub]) => command === "docker" && sub === "run");
      assert.ok(clone >= 0 && clone < run);
      assert.equal(ssh("git -C /workflow config --get remote.origin.url").stdout, `${repoUrl}\n`);
    });

    it("init ran through bash -i, inside the environment the image's ~/.bashrc activates, after the IDE server and ipykernel failed offline", () => {
      assert.equal(ssh("cat /tmp/init-env").stdout, "/opt/conda/envs/workflow /opt/conda/envs/workflow/bin/python3\n");
      const log = fs.readFileSync(env.box.at("/var/log/dstack-pulumi/init.log"), "utf8").split("\n").map((line) => line.replace(/^\S+ dstack-container: /, ""));
      for (const line of ["installing the vscode server 1c2e9ea4e1b1e4a5b7b2d1b0fa0a8f0b00b4c1f2", "vscode server install FAILED", "no pip, ipykernel was not installed"]) {
        assert.ok(log.includes(line), `init.log has no line ${line}`);
      }
    });

    it("with a download (curl stands in for the network), the IDE server of `version` is installed, then dstack's extensions", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-ide-"));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      fs.mkdirSync(path.join(dir, "dstack-pulumi"));
      fs.copyFileSync(env.box.at("/var/lib/dstack-pulumi/container/init-container.sh"), path.join(dir, "dstack-pulumi/init-container.sh"));
      fs.writeFileSync(path.join(dir, "dstack-pulumi/container.env"), "DSTACK_IDE='cursor'\nDSTACK_IDE_VERSION='0.45.11'\nDSTACK_SHELL='/bin/bash'\nDSTACK_WORKING_DIR='/workflow'\nDSTACK_USER=''\nDSTACK_SSH_PORT='10022'\n");
      // curl URL: records URL, answers a server tarball whose bin/ programs record their arguments.
      fs.writeFileSync(path.join(dir, "curl"), [
        "#!/bin/sh", 'echo "$2" >/tmp/url', "d=$(mktemp -d)", 'mkdir -p "$d/server/bin"',
        'printf \'#!/bin/sh\\necho "$(basename "$0") $*" >>/tmp/extensions\\n\' >"$d/server/bin/cursor-server"', 'chmod +x "$d/server/bin/cursor-server"', 'tar -czf - -C "$d" server', "",
      ].join("\n"), { mode: 0o755 });
      const server = "/root/.cursor-server/cli/servers/Stable-0.45.11/server";
      const output = docker(
        "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", "--user", "0", "-e", "HOME=/root",
        "-v", `${dir}/dstack-pulumi:/dstack-pulumi:ro`, "-v", `${dir}/curl:/usr/local/bin/curl:ro`, images.base,
        "-c", `/bin/sh /dstack-pulumi/init-container.sh ide; cat /tmp/url /tmp/extensions; ls ${server}/bin`,
      );
      const arch = os.arch() === "arm64" ? "arm64" : "x64";
      assert.deepEqual(output.split("\n").map((line) => line.replace(/^\S+ dstack-container: /, "")), [
        "installing the cursor server 0.45.11",
        `https://cursor.blob.core.windows.net/remote-releases/0.45.11/vscode-reh-linux-${arch}.tar.gz`,
        "cursor-server --install-extension ms-python.python --install-extension ms-toolsai.jupyter",
        "cursor-server",
      ]);
    });

    it("every SSH session has the run's environment, the secret included: a command and a login shell", () => {
      const line = "echo $HF_TOKEN $MODE $DSTACK_RUN_NAME $DSTACK_WORKING_DIR";
      assert.deepEqual(ssh(line), { status: 0, stdout: `${SECRET} first ${RUN} /workflow\n`, stderr: "" });
      assert.equal(ssh(`bash -l -c 'pwd; ${line}'`).stdout, `/workflow\n${SECRET} first ${RUN} /workflow\n`);
    });

    it("the container runs as dstack's shim runs it, and neither the secret nor the token is in Docker's settings or any file on a persistent disk", () => {
      assert.equal(docker("inspect", "--format", "{{json .Config.Entrypoint}} {{json .Config.User}}", `dstack-${RUN}`), '"/bin/sh" "0"');
      const inspect = docker("inspect", `dstack-${RUN}`);
      for (const value of [SECRET, TOKEN]) assert.ok(!inspect.includes(value), `docker inspect shows ${value}`);
      const { box } = env;
      const persistent = [
        "/var/lib/containers",
        ...fs.readdirSync(box.root).filter((entry) => entry !== "run").map((entry) => path.join(box.root, entry)),
        ...fs.readdirSync(box.dir).filter((entry) => entry !== "root" && entry !== "secrets").map((entry) => path.join(box.dir, entry)),
      ];
      assert.deepEqual(filesHolding(SECRET, persistent), []);
      assert.deepEqual(filesHolding(TOKEN, persistent), []);
      assert.deepEqual(server.requests().flatMap((request) => request.leaks), []);
    });

    it("a server that init started answers through the LocalForward of sshConfig", async () => {
      const tunnel: ChildProcess = hop.forward(env.config, RUN);
      try {
        await waitForPort(ports.local);
        assert.equal(await httpGet(ports.local, "/requirements.txt"), "numpy==1.26.4\n");
      } finally {
        tunnel.kill();
      }
    });

    it("an env change recreates the container: the next ssh connects with the same host key, /workflow keeps the user's file, nothing is cloned again", async () => {
      assert.equal(ssh("echo mine > /workflow/user-note").status, 0);
      const id = docker("inspect", "--format", "{{.Id}}", `dstack-${RUN}`);
      const knownHosts = fs.readFileSync(hop.knownHosts, "utf8");
      const marker = fs.statSync(env.box.at("/var/lib/dstack-pulumi/workflow-repo"));
      const requests = server.requests().length;

      const second = boot(env.box, env.render(yaml("second")));
      await ready(env.box, 2);
      assert.ok(second.log.includes(`container dstack-${RUN} has other settings: replacing it`));
      assert.notEqual(docker("inspect", "--format", "{{.Id}}", `dstack-${RUN}`), id);
      assert.deepEqual(callsOf(second.calls, "git"), []);
      assert.equal(server.requests().length, requests);
      assert.ok(second.log.includes("/workflow: cloned at the first boot, left as it is"));
      assert.deepEqual(fs.statSync(env.box.at("/var/lib/dstack-pulumi/workflow-repo")).mtimeMs, marker.mtimeMs);
      assert.deepEqual(ssh("cat /workflow/user-note; echo $MODE; git -C /workflow rev-parse HEAD"), { status: 0, stdout: `mine\nsecond\n${commits[0]}\n`, stderr: "" });
      assert.equal(fs.readFileSync(hop.knownHosts, "utf8"), knownHosts);
    });

    it("a reboot starts the same container again, which reads the rotated secret; init does not run again", async () => {
      const id = docker("inspect", "--format", "{{.Id}}", `dstack-${RUN}`);
      docker("stop", `dstack-${RUN}`);
      env.box.reboot();
      env.box.putSecret(HF_REF, ROTATED);
      const third = boot(env.box, env.render(yaml("second")));
      await ready(env.box, 3);
      assert.ok(third.log.includes(`container dstack-${RUN} started again`));
      assert.equal(docker("inspect", "--format", "{{.Id}}", `dstack-${RUN}`), id);
      assert.equal(ssh("echo $HF_TOKEN").stdout, `${ROTATED}\n`);
      const log = fs.readFileSync(env.box.at("/var/log/dstack-pulumi/container.log"), "utf8");
      assert.equal(log.split("\n").filter((line) => line.endsWith(" dstack-container: init ran in this container already")).length, 1);
    });
  });

  describe("a custom image whose ENTRYPOINT exits at once, user 1234 (a uid without a passwd entry: SSH as dstack)", () => {
    let env: Env;

    before(async () => {
      // The component logs in as `dstack` for a numeric user (its containerLogin).
      env = await environment(CUSTOM, { user: "dstack" }, {});
      boot(env.box, env.render([
        "type: dev-environment", `name: ${CUSTOM}`, "ide: vscode", `image: ${images.exitingEntrypoint}`, "user: '1234'",
        "init:", '  - id -u > "$HOME/init-uid"', "",
      ].join("\n")));
      await ready(env.box, 1);
    });

    it("serves the dev environment: ssh logs in as dstack (uid 1234), init ran as 1234 in its new home, /workflow is empty", () => {
      assert.deepEqual(hop.ssh(env.config, CUSTOM, "id -un; id -u; cat ~/init-uid; echo $HOME; ls -A /workflow | wc -l"), {
        status: 0,
        stdout: "dstack\n1234\n1234\n/home/dstack\n0\n",
        stderr: `Warning: Permanently added '${CUSTOM}-host' (ED25519) to the list of known hosts.\r\nWarning: Permanently added '${CUSTOM}' (ED25519) to the list of known hosts.\r\n`,
      });
      assert.equal(docker("inspect", "--format", "{{json .Config.Entrypoint}} {{json .Config.User}}", `dstack-${CUSTOM}`), '"/bin/sh" "0"');
      const log = fs.readFileSync(env.box.at("/var/log/dstack-pulumi/container.log"), "utf8");
      assert.match(log, / dstack-container: uid 1234: added to \/etc\/passwd as dstack:x:1234:0::\/home\/dstack:\/bin\/sh\n/);
    });
  });
});
