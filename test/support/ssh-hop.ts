/**
 * The SSH side of the end-to-end test: a real sshd standing for the VM's own SSH (the host hop of
 * `ProxyJump`) on 127.0.0.1 and a free port, with a throwaway host key and the test's key in its
 * AuthorizedKeysFile (the "VM user" is root); and the real ssh client reading the component's own
 * `sshConfig(...)` output, written to a file with what this machine needs added: the hop's port,
 * the container sshd's port (the test's free port instead of 10022), the test's key and a
 * known_hosts file of its own.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sshConfig, type ContainerAccess } from "../../components/connection";
import { toolPath } from "./system-tools";

/** A TCP port nobody listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts connections on 127.0.0.1:PORT (within `ms`). */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SshResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class SshHop {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssh-hop-"));
  /** The test's private key (its public half is the container's only key too). */
  readonly key = path.join(this.dir, "id_ed25519");
  readonly knownHosts = path.join(this.dir, "known_hosts");
  private sshd: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /** The hop's sshd, listening. */
  static async start(): Promise<SshHop> {
    const hop = new SshHop(await freePort());
    const keygen = (file: string) => spawnSync(toolPath("ssh-keygen"), ["-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", file], { stdio: "ignore" });
    keygen(hop.key);
    keygen(path.join(hop.dir, "host_key"));
    fs.copyFileSync(`${hop.key}.pub`, path.join(hop.dir, "authorized_keys"));
    const config = path.join(hop.dir, "sshd_config");
    fs.writeFileSync(
      config,
      [
        `Port ${hop.port}`, "ListenAddress 127.0.0.1", `HostKey ${hop.dir}/host_key`, `AuthorizedKeysFile ${hop.dir}/authorized_keys`,
        "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
        "PidFile none", "AllowTcpForwarding yes", "",
      ].join("\n"),
    );
    fs.mkdirSync("/run/sshd", { recursive: true });
    hop.sshd = spawn(toolPath("sshd"), ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    await waitForPort(hop.port);
    return hop;
  }

  get publicKey(): string {
    return fs.readFileSync(`${this.key}.pub`, "utf8").trim();
  }

  /**
   * The component's `sshConfig(runName, "127.0.0.1", "root", access)` in a file, with the hop's
   * `Port`, the container sshd's port, and (for every host) the test's key and known_hosts.
   */
  writeConfig(runName: string, access: ContainerAccess, containerPort: number): string {
    const config = sshConfig(runName, "127.0.0.1", "root", access)
      .replace(`Host ${runName}-host\n`, `Host ${runName}-host\n  Port ${this.port}\n`)
      .replace("  Port 10022\n", `  Port ${containerPort}\n`);
    const file = path.join(this.dir, `${runName}.config`);
    fs.writeFileSync(file, [`IdentityFile ${this.key}`, `UserKnownHostsFile ${this.knownHosts}`, "BatchMode yes", "ConnectTimeout 10", config].join("\n"));
    return file;
  }

  /** `ssh -F CONFIG HOST COMMAND`. */
  ssh(config: string, host: string, command: string): SshResult {
    const result = spawnSync(toolPath("ssh"), ["-F", config, host, command], { encoding: "utf8", timeout: 30_000 });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** `ssh -N -F CONFIG HOST` in the background (its LocalForwards up while it runs). */
  forward(config: string, host: string): ChildProcess {
    return spawn(toolPath("ssh"), ["-N", "-F", config, host], { stdio: "ignore" });
  }

  stop(): void {
    if (this.sshd?.pid !== undefined && this.sshd.exitCode === null) process.kill(this.sshd.pid, "SIGTERM");
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
