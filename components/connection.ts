/**
 * How to reach the environment: the SSH command, an SSH config `Host` block and the IDE link.
 * The container's sshd listens on the VM's 127.0.0.1:10022, reached through the VM's own SSH
 * (`ProxyJump`), as dstack does. The configuration's `ports` are forwarded over the same
 * connection (`LocalForward local -> the container's port`), as `dstack attach` does.
 */
import type { DevEnvironmentSpec } from "../config/schema";
import type { PortMapping } from "../config/ports";
import { CONTAINER_SSH_PORT, workingDir } from "../bootstrap/container-settings";

export { CONTAINER_SSH_PORT };

/** Who logs in to the container, and which ports are forwarded. */
export interface ContainerAccess {
  /** The container user (the configuration's `user`, its name part). @default "root" */
  user?: string;
  /** The configuration's `ports`. @default [] */
  ports?: readonly PortMapping[];
}

/** A port of the configuration's `ports`, forwarded over SSH while connected: localhost:`local` reaches the container's `container`. */
export interface PortForward {
  /**
   * The port on your machine (the container's port number when the configuration says `*` or gives none).
   * @example 8000
   * @integer
   */
  local: number;
  /**
   * The port in the container.
   * @example 8000
   * @integer
   */
  container: number;
}

/** The forwards of `ports`: a `*` local port takes the container's port number, as a fixed choice. */
export function portForwards(ports: readonly PortMapping[] = []): PortForward[] {
  return ports.map((port) => ({ local: port.local_port ?? port.container_port, container: port.container_port }));
}

export function sshCommand(runName: string, ip: string, sshUser: string, access: ContainerAccess = {}): string {
  const forwards = portForwards(access.ports).map((port) => ` -L ${port.local}:localhost:${port.container}`).join("");
  return `ssh -J ${sshUser}@${ip} -p ${CONTAINER_SSH_PORT} -o HostKeyAlias=${runName}${forwards} ${access.user ?? "root"}@localhost`;
}

/**
 * `Host` blocks for ~/.ssh/config: `<run>-host` (the VM) and `<run>` (the container through it).
 * Host keys are checked under the run's names, not the address: a VM that comes back from a stop
 * with a new address keeps its keys. `note` (the address changes, ...) comes first as a comment.
 */
export function sshConfig(runName: string, ip: string, sshUser: string, access: ContainerAccess = {}, note: string | null = null): string {
  return [
    ...(note === null ? [] : [`# ${note}`]),
    `Host ${runName}-host`,
    `  HostName ${ip}`,
    `  User ${sshUser}`,
    `  HostKeyAlias ${runName}-host`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking accept-new",
    `Host ${runName}`,
    "  HostName localhost",
    `  Port ${CONTAINER_SSH_PORT}`,
    `  User ${access.user ?? "root"}`,
    `  ProxyJump ${runName}-host`,
    `  HostKeyAlias ${runName}`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking accept-new",
    ...portForwards(access.ports).map((port) => `  LocalForward ${port.local} localhost:${port.container}`),
    "",
  ].join("\n");
}

/** `vscode://vscode-remote/ssh-remote+<run>/workflow`; the `cursor://` form for Cursor. */
export function ideUrl(runName: string, spec: DevEnvironmentSpec): string | null {
  const scheme = spec.ide === "cursor" ? "cursor" : spec.ide === "windsurf" ? "windsurf" : spec.ide === "vscode" || spec.ide === null ? "vscode" : null;
  return scheme === null ? null : `${scheme}://vscode-remote/ssh-remote+${runName}${workingDir(spec)}`;
}
