/**
 * How to reach the environment: the SSH command, an SSH config `Host` block and the IDE link.
 * The container's sshd listens on the VM's 127.0.0.1:10022, reached through the VM's own SSH
 * (`ProxyJump`), as dstack does.
 */
import type { DevEnvironmentSpec } from "../config/schema";
import { workingDir } from "../bootstrap/container-settings";

export const CONTAINER_SSH_PORT = 10022;

export function sshCommand(runName: string, ip: string, sshUser: string): string {
  return `ssh -J ${sshUser}@${ip} -p ${CONTAINER_SSH_PORT} -o HostKeyAlias=${runName} root@localhost`;
}

export function sshConfig(runName: string, ip: string, sshUser: string): string {
  return [
    `Host ${runName}-host`,
    `  HostName ${ip}`,
    `  User ${sshUser}`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking accept-new",
    `Host ${runName}`,
    "  HostName localhost",
    `  Port ${CONTAINER_SSH_PORT}`,
    "  User root",
    `  ProxyJump ${runName}-host`,
    `  HostKeyAlias ${runName}`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking accept-new",
    "",
  ].join("\n");
}

/** `vscode://vscode-remote/ssh-remote+<run>/workflow`; the `cursor://` form for Cursor. */
export function ideUrl(runName: string, spec: DevEnvironmentSpec): string | null {
  const scheme = spec.ide === "cursor" ? "cursor" : spec.ide === "windsurf" ? "windsurf" : spec.ide === "vscode" || spec.ide === null ? "vscode" : null;
  return scheme === null ? null : `${scheme}://vscode-remote/ssh-remote+${runName}${workingDir(spec)}`;
}
