/**
 * Rendering rules beyond the goldens: the image, the docker arguments, secrets kept out of the
 * script, and clear errors for what cannot be rendered.
 */
import { strict as assert } from "node:assert";
import { INSTALL_IPYKERNEL } from "../../bootstrap/dstack-commands";
import { containerImage, registryOf } from "../../bootstrap/image";
import { renderBootstrapScript } from "../../bootstrap/render-script";
import { shellQuote, heredoc } from "../../bootstrap/shell-quote";
import { BootstrapError, type BootstrapInput } from "../../bootstrap/types";
import { parseConfig } from "../../config/read";
import { scenarios } from "../support/bootstrap-scenarios";

const scenario = (name: string): BootstrapInput => scenarios().find((s) => s.name === name)!.input;

function withConfig(name: string, yaml: string, extra: Partial<BootstrapInput> = {}): BootstrapInput {
  return { ...scenario(name), spec: parseConfig(yaml), volumes: [], secretEnv: {}, ...extra };
}

describe("bootstrap rendering", () => {
  it("the image: dstack 0.18's base image per Python version, -devel with nvcc, the configured image else", () => {
    assert.equal(containerImage(parseConfig("type: dev-environment\nide: vscode\n")), "dstackai/base:py3.11-0.6-cuda-12.1");
    assert.equal(containerImage(parseConfig("type: dev-environment\nide: vscode\npython: 3.10\nnvcc: true\n")), "dstackai/base:py3.10-0.6-cuda-12.1-devel");
    assert.equal(containerImage(parseConfig("type: dev-environment\nide: vscode\nimage: nvcr.io/nvidia/pytorch:24.05-py3\n")), "nvcr.io/nvidia/pytorch:24.05-py3");
    assert.deepEqual(["ghcr.io/a/b:1", "localhost:5000/x", "user/repo:tag", "ubuntu"].map(registryOf), ["ghcr.io", "localhost:5000", null, null]);
  });

  it("quoting: single quotes survive; a here-document delimiter never occurs in its content", () => {
    assert.equal(shellQuote("it's $HOME `x`"), `'it'\\''s $HOME \`x\`'`);
    assert.equal(heredoc("cat", "DSTACK_EOF\nDSTACK_EOF_1\n", "|| true"), "cat <<'DSTACK_EOF_2' || true\nDSTACK_EOF\nDSTACK_EOF_1\nDSTACK_EOF_2");
  });

  it("a registry password or a secret env value is never in the script, only where to fetch it", () => {
    const input = withConfig(
      "private-registry-secrets",
      "type: dev-environment\nide: vscode\nimage: ghcr.io/acme/app:1\nregistry_auth:\n  username: bot\n  password: hunter2-literal\nenv:\n  - API_KEY=plain-but-secret-123\n",
      {
        secretEnv: { API_KEY: { store: "gcp-secret-manager", project: "proj-1", secret: "dstack-private-API_KEY" } },
        registryPassword: { store: "gcp-secret-manager", project: "proj-1", secret: "dstack-private-registry" },
      },
    );
    const script = renderBootstrapScript(input);
    assert.ok(!script.includes("hunter2-literal"));
    assert.ok(!script.includes("plain-but-secret-123"));
    assert.ok(script.includes(`retry 5 5 fetch_secret_gcp 'proj-1' 'dstack-private-API_KEY' "$R$RUNTIME_DIR/secret-1"`));
    assert.ok(script.includes(`retry 5 5 registry_login 'bot' 'ghcr.io' "$R$RUNTIME_DIR/registry-password"`));
    assert.ok(script.includes(`-v "$R$RUNTIME_DIR/secrets.env:/run/dstack-pulumi/secrets.env:ro"`));
    assert.ok(!script.includes("--env-file"));
  });

  it("errors: an env name without a value and no secret; registry_auth without a password secret; an odd run name; a volume count mismatch", () => {
    const placeholder = withConfig("aws-cpu", "type: dev-environment\nide: vscode\nenv:\n  - HF_TOKEN\n");
    assert.throws(() => renderBootstrapScript(placeholder), new BootstrapError("env HF_TOKEN has no value in the configuration: give it as a secret (the component's env) or in the environment"));
    const registry = withConfig("aws-cpu", "type: dev-environment\nide: vscode\nimage: ghcr.io/a/b\nregistry_auth:\n  username: u\n  password: p\n");
    assert.throws(() => renderBootstrapScript(registry), /^BootstrapError: registry_auth is set: the registry password must be given as a secret$/);
    assert.throws(() => renderBootstrapScript({ ...scenario("aws-cpu"), runName: "Box; rm -rf /" }), /run name "Box; rm -rf \/": use lower-case letters, digits and hyphens/);
    assert.throws(() => renderBootstrapScript({ ...scenario("gcp-a2"), volumes: [] }), /the configuration has 1 network volumes, 0 are attached/);
    assert.throws(() => renderBootstrapScript({ ...scenario("aws-cpu"), sshPublicKey: "not a key" }), /sshPublicKey must be one OpenSSH public key line/);
  });

  it("the repository: checked before it reaches git; no credentials in the URL; `.` is /workflow itself", () => {
    const repo = scenario("aws-repo").repo!;
    const render = (edit: Partial<typeof repo>) => renderBootstrapScript({ ...scenario("aws-repo"), repo: { ...repo, ...edit } });
    assert.throws(() => render({ url: "https://bot:hunter2@github.com/acme/research.git" }), new BootstrapError("repo url: no credentials in the URL (they would be kept in .git/config); give the token as a secret"));
    assert.throws(() => render({ url: "git@github.com:acme/research.git" }), new BootstrapError('repo url "git@github.com:acme/research.git" is not a URL: use https://, http:// or git://'));
    assert.throws(() => render({ url: "ssh://git@github.com/acme/research.git" }), new BootstrapError('repo url "ssh://git@github.com/acme/research.git": use https://, http:// or git:// (ssh needs a key the VM does not have)'));
    assert.throws(() => render({ path: "../etc" }), new BootstrapError('repo path "../etc": a relative path inside /workflow, without "..", or "."'));
    assert.throws(() => render({ path: "/srv" }), new BootstrapError('repo path "/srv": a relative path inside /workflow, without "..", or "."'));
    assert.throws(() => render({ branch: "--upload-pack=touch /tmp/x" }), new BootstrapError('repo branch "--upload-pack=touch /tmp/x" is not a branch name'));
    assert.throws(() => render({ hash: "HEAD~1" }), new BootstrapError('repo hash "HEAD~1": a commit hash in hex'));
    assert.match(render({ hash: "5F3C1D2" }), /^clone_repo '[^']+' 'main' '5f3c1d2' true ''/m);
    assert.match(render({ path: "src/app", branch: null, hash: null, singleBranch: false, token: undefined }), /^clone_repo 'https:\/\/github.com\/acme\/research.git' '' '' false '\/src\/app'$/m);
    assert.doesNotMatch(renderBootstrapScript(scenario("aws-cpu")), /clone_repo|repo_git/);
  });

  it("limits: inactivity_duration and max_duration in seconds; seed's 6h default; off", () => {
    const line = (yaml: string) => renderBootstrapScript(withConfig("aws-cpu", `type: dev-environment\nide: vscode\n${yaml}`)).match(/^install_timers .*$/m)?.[0];
    assert.equal(line(""), "install_timers 0 21600");
    assert.equal(line("max_duration: off\n"), "install_timers 0 0");
    assert.equal(line("inactivity_duration: 30m\nmax_duration: 1d\n"), "install_timers 1800 86400");
  });

  it("working_dir, home_dir, privileged and the shell of init", () => {
    const script = renderBootstrapScript(withConfig("aws-cpu", "type: dev-environment\nide: vscode\nimage: alpine:3\nworking_dir: ./app/\nhome_dir: /home/dev\nprivileged: true\ninit:\n  - echo hi\n"));
    assert.ok(script.includes("-w '/workflow/app'"));
    assert.ok(script.includes("-e 'HOME=/home/dev'"));
    assert.match(script, /^args=\(--restart no --network host --entrypoint \/bin\/sh --user 0 --privileged /m);
    assert.ok(script.includes("DSTACK_SHELL='/bin/sh'"));
    assert.ok(script.includes("DSTACK_USER=''"));
    const user = (text: string) => renderBootstrapScript(withConfig("aws-cpu", `type: dev-environment\nide: vscode\nuser: ${text}\n`)).match(/^DSTACK_USER=.*$/m)?.[0];
    assert.deepEqual(["ubuntu", "'1_000:+5'", "dev:1000"].map(user), ["DSTACK_USER='ubuntu'", "DSTACK_USER='1000:5'", "DSTACK_USER='dev:1000'"]);
    assert.ok(script.includes(`${INSTALL_IPYKERNEL} && echo && echo hi\nDSTACK_EOF`));
  });
});
