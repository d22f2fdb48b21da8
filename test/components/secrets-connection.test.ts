/**
 * Where secret values come from (the env arg, the process environment, `${{ env.X }}`), that they
 * are Pulumi secrets, what a missing one says; and the connection outputs.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { checkCidrs, InvalidCidrError } from "../../components/cidrs";
import { ideUrl, sshCommand, sshConfig } from "../../components/connection";
import { collectSecrets, MissingSecretError } from "../../components/secrets";
import { parseConfig } from "../../config/read";
import { pulumiMocks, valueOf } from "../support/pulumi-mocks";

const spec = (body: string) => parseConfig(`type: dev-environment\nide: vscode\n${body}`);

describe("component secrets", () => {
  before(() => pulumiMocks());

  it("env names without a value: the env arg first, else the process environment; all secret and sorted", async () => {
    const secrets = collectSecrets(spec("env:\n  - WANDB_KEY\n  - HF_TOKEN\n  - MODE=fast\n"), { env: { HF_TOKEN: "from-arg" } }, { WANDB_KEY: "from-process", HF_TOKEN: "ignored" });
    assert.deepEqual(secrets.env.map((s) => s.key), ["HF_TOKEN", "WANDB_KEY"]);
    assert.deepEqual(await Promise.all(secrets.env.map((s) => valueOf(s.value))), ["from-arg", "from-process"]);
    assert.deepEqual(await Promise.all(secrets.env.map((s) => pulumi.isSecret(s.value))), [true, true]);
    assert.equal(secrets.registryPassword, undefined);
  });

  it("a value in the file becomes a secret when the env arg gives it", async () => {
    const secrets = collectSecrets(spec("env:\n  MODE: fast\n"), { env: { MODE: "secret-mode" } }, {});
    assert.deepEqual(secrets.env.map((s) => s.key), ["MODE"]);
    assert.equal(await valueOf(secrets.env[0].value), "secret-mode");
  });

  it("the registry password: the arg, a ${{ env.X }} reference, or the file's text", async () => {
    const file = spec("image: ghcr.io/a/b\nregistry_auth:\n  username: u\n  password: ${{ env.GHCR }}\nenv:\n  - GHCR\n");
    assert.equal(await valueOf(collectSecrets(file, {}, { GHCR: "token-1" }).registryPassword!.value), "token-1");
    assert.equal(await valueOf(collectSecrets(file, { registryPassword: "arg-pw" }, { GHCR: "token-1" }).registryPassword!.value), "arg-pw");
    const literal = collectSecrets(spec("image: ghcr.io/a/b\nregistry_auth:\n  username: u\n  password: literal-pw\n"), {}, {});
    assert.equal(await pulumi.isSecret(literal.registryPassword!.value), true);
  });

  it("a missing value is an error naming it", () => {
    assert.throws(
      () => collectSecrets(spec("env:\n  - HF_TOKEN\n"), { env: { EXTRA: "x" } }, {}),
      new MissingSecretError("no value for HF_TOKEN, EXTRA (given in the env arg but not declared in the configuration's env): give it in the component's env arg or in the environment of the process that runs Pulumi"),
    );
  });
});

describe("component connection outputs", () => {
  it("ssh command, ssh config and the IDE links", () => {
    assert.equal(sshCommand("gpu-dev", "203.0.113.10", "ubuntu"), "ssh -J ubuntu@203.0.113.10 -p 10022 -o HostKeyAlias=gpu-dev root@localhost");
    assert.equal(
      sshConfig("gpu-dev", "203.0.113.10", "ubuntu"),
      "Host gpu-dev-host\n  HostName 203.0.113.10\n  User ubuntu\n  HostKeyAlias gpu-dev-host\n  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\nHost gpu-dev\n  HostName localhost\n  Port 10022\n  User root\n  ProxyJump gpu-dev-host\n  HostKeyAlias gpu-dev\n  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\n",
    );
    assert.equal(
      sshConfig("gpu-dev", "203.0.113.10", "ubuntu", {}, "the public IP changes when the VM stops and starts"),
      "# the public IP changes when the VM stops and starts\nHost gpu-dev-host\n  HostName 203.0.113.10\n  User ubuntu\n  HostKeyAlias gpu-dev-host\n  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\nHost gpu-dev\n  HostName localhost\n  Port 10022\n  User root\n  ProxyJump gpu-dev-host\n  HostKeyAlias gpu-dev\n  IdentitiesOnly yes\n  StrictHostKeyChecking accept-new\n",
      "a note comes first, as a comment",
    );
    assert.equal(ideUrl("gpu-dev", spec("")), "vscode://vscode-remote/ssh-remote+gpu-dev/workflow");
    assert.equal(ideUrl("gpu-dev", parseConfig("type: dev-environment\nide: cursor\nworking_dir: src\n")), "cursor://vscode-remote/ssh-remote+gpu-dev/workflow/src");
    assert.equal(ideUrl("gpu-dev", parseConfig("type: dev-environment\nide: zed\n")), null);
  });
});

describe("component allowedCidrs", () => {
  it("IPv4 and IPv6 networks in CIDR form pass; anything else is refused by name", () => {
    assert.deepEqual(checkCidrs(["203.0.113.4/32", " 10.0.0.0/8", "2001:db8::/48"]), ["203.0.113.4/32", "10.0.0.0/8", "2001:db8::/48"]);
    assert.throws(
      () => checkCidrs(["203.0.113.4", "10.0.0.0/33", "home"]),
      new InvalidCidrError('allowedCidrs: "203.0.113.4", "10.0.0.0/33", "home" are not networks in CIDR form, e.g. "203.0.113.4/32" (one address) or "2001:db8::/48"'),
    );
  });
});
