/**
 * The bootstrap script: a bash script that makes the VM ready and starts the dev environment. It
 * runs at first boot and at every boot (AWS: a systemd unit; GCP: the startup script), logs each
 * step, stops naming the step that failed, and changes nothing that is already right. It holds no
 * secret: secrets are read at boot from the cloud's secret store.
 */
import { CONTAINER_SSH_PORT, containerSettings, containerUser, hostMount, initShell, workingDir } from "./container-settings";
import { initCommandLine } from "./dstack-commands";
import { registryOf } from "./image";
import { powerOffLimits } from "./power-off";
import { fetchSecret } from "./secret-fetch";
import { shellCode, type ShellFileName } from "./shell-files";
import { heredoc, shellQuote } from "./shell-quote";
import { BootstrapError, type BootstrapInput } from "./types";
import { repoStep } from "./workflow-repo";

function checkSshKey(key: string): string {
  const line = key.trim();
  if (line.includes("\n") || !/^(ssh-|ecdsa-|sk-)\S+ \S+/.test(line)) {
    throw new BootstrapError("sshPublicKey must be one OpenSSH public key line (ssh-ed25519 AAAA... comment)");
  }
  return line;
}

/** The settings the container's init script reads (`container.env`, sourced by sh). */
function containerEnv(input: BootstrapInput): string {
  const { spec } = input;
  const versioned = spec.ide === "vscode" || spec.ide === "cursor";
  const settings: [string, string][] = [
    ["DSTACK_IDE", spec.ide ?? ""],
    ["DSTACK_IDE_VERSION", versioned ? (spec.version ?? "") : ""],
    ["DSTACK_SHELL", initShell(spec)],
    ["DSTACK_WORKING_DIR", workingDir(spec)],
    ["DSTACK_USER", containerUser(spec)],
    ["DSTACK_SSH_PORT", String(CONTAINER_SSH_PORT)],
  ];
  return settings.map(([name, value]) => `${name}=${shellQuote(value)}`).join("\n") + "\n";
}

const RUN_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Names that become paths, container names and comment text must be plain. */
function checkNames(input: BootstrapInput): void {
  if (!RUN_NAME.test(input.runName)) throw new BootstrapError(`run name ${JSON.stringify(input.runName)}: use lower-case letters, digits and hyphens (at most 63)`);
  for (const volume of input.volumes) {
    if (!VOLUME_NAME.test(volume.name)) throw new BootstrapError(`volume name ${JSON.stringify(volume.name)}: use letters, digits, '.', '_' and '-'`);
  }
}

/** The functions the script calls: the lib's, and those of the parts this dev environment uses. */
function shellParts(input: BootstrapInput): string[] {
  const parts: ShellFileName[] = ["bootstrap-lib.sh"];
  if (input.offer.gpu) parts.push("nvidia.sh");
  if (input.volumes.length > 0) parts.push("volumes.sh");
  if (input.repo) parts.push("workflow-repo.sh");
  return parts.flatMap((part) => [`# The functions of bootstrap/shell/${part} (their comments are there).`, shellCode(part).trimEnd()]);
}

export function renderBootstrapScript(input: BootstrapInput): string {
  checkNames(input);
  const { spec, offer } = input;
  const container = containerSettings(input);
  const key = checkSshKey(input.sshPublicKey);
  const name = `dstack-${input.runName}`;
  const where = `${offer.backend} ${offer.region} ${offer.instance_type}${offer.spot ? " (spot)" : ""}`;
  const out: string[] = [
    "#!/bin/bash",
    "# shellcheck disable=SC2016,SC1003 # the configuration's text is single-quoted on purpose: no expansion",
    `# dstack-pulumi bootstrap of ${input.runName} on ${where}.`,
    "# Runs at first boot and at every boot; a second run changes nothing that is already right.",
    "# Log: /var/log/dstack-bootstrap.log. Holds no secret: secrets are read at boot from the cloud's store.",
    "set -Eeuo pipefail",
    "umask 022",
    "",
    ...shellParts(input),
    "",
    "trap on_error ERR",
    "",
    "step prepare",
    "prepare",
    // AWS VMs have no key pair: the host's key is the user's, from this script (GCP: ssh-keys metadata).
    ...(input.target === "aws-vm" ? ["", "step 'ssh key'", `authorize_host_key ubuntu ${shellQuote(key)}`] : []),
    "",
    "step docker",
    "ensure_docker",
  ];
  if (offer.gpu) out.push("", "step 'gpu runtime'", "ensure_nvidia");
  const volumeNames = input.volumes.map((volume) => shellQuote(volume.name)).join(" ");
  out.push("", "step 'removed volumes'", `volumes=(${volumeNames})`, `forget_removed_volumes "\${volumes[@]}"`);
  input.volumes.forEach((volume) => {
    const [cloud, id] = volume.device.kind === "aws-ebs" ? ["aws", volume.device.volumeId] : ["gcp", volume.device.deviceName];
    out.push("", `step ${shellQuote(`volume ${volume.name}`)}`, `set_up_volume ${cloud} ${shellQuote(id)} ${shellQuote(volume.name)} ${volume.formatIfBlank}`);
  });
  out.push(
    "",
    "step 'container files'",
    `mkdir -p "$R$STATE_DIR/container" "$R$STATE_DIR/workflow"`,
    heredoc(`write_if_changed "$R$STATE_DIR/container/init-container.sh" 0755`, shellCode("container-init.sh"), "|| true"),
    heredoc(`write_if_changed "$R$STATE_DIR/container/container.env" 0644`, containerEnv(input), "|| true"),
    heredoc(`write_if_changed "$R$STATE_DIR/container/authorized_keys" 0644`, key, "|| true"),
    heredoc(`write_if_changed "$R$STATE_DIR/container/init.sh" 0644`, initCommandLine(spec), "|| true"),
    heredoc(`write_if_changed "$R$STATE_DIR/idle-check.sh" 0755`, shellCode("idle-check.sh"), "|| true"),
    "ensure_host_keys",
  );
  if (input.repo) out.push(...repoStep(input.repo));
  const secrets = Object.entries(input.secretEnv).sort(([a], [b]) => (a < b ? -1 : 1));
  if (secrets.length > 0) {
    out.push("", "step secrets", `rm -f "$R$RUNTIME_DIR/secrets.env"`, `(umask 077 && : >"$R$RUNTIME_DIR/secrets.env")`);
    secrets.forEach(([envName, ref], i) => {
      const file = `"$R$RUNTIME_DIR/secret-${i + 1}"`;
      out.push(`retry 5 5 ${fetchSecret(ref, file)}`, `add_secret_env ${shellQuote(envName)} ${file}`, `rm -f ${file}`);
    });
  }
  if (spec.registry_auth) {
    if (!input.registryPassword) throw new BootstrapError("registry_auth is set: the registry password must be given as a secret");
    const registry = registryOf(container.image);
    const file = `"$R$RUNTIME_DIR/registry-password"`;
    out.push(
      "",
      "step 'registry login'",
      `retry 5 5 ${fetchSecret(input.registryPassword, file)}`,
      `retry 5 5 registry_login ${shellQuote(spec.registry_auth.username)} ${shellQuote(registry ?? "")} ${file}`,
      `rm -f ${file}`,
    );
  }
  out.push("", "step image", `pull_image ${shellQuote(container.image)}`, "", "step container", `args=(${container.args.join(" ")})`);
  for (const mount of container.instanceMounts) {
    out.push(`if instance_path ${shellQuote(mount.hostPath)} ${mount.optional}; then args+=(${hostMount(mount.hostPath, mount.path)}); fi`);
  }
  // Restart policy `no` (container-settings.ts): the container starts here only, after this check.
  out.push(`require_mounted "\${volumes[@]}"`);
  out.push(`run_container ${shellQuote(name)} "\${args[@]}" ${shellQuote(container.image)} /dstack-pulumi/init-container.sh`);
  const { inactivity, max } = powerOffLimits(input.spec);
  out.push("", "step timers", `install_timers ${inactivity} ${max}`, "", "step finish", `log ${shellQuote(`the dev environment ${input.runName} is up`)}`, "");
  return out.join("\n");
}
