/**
 * Container images for the end-to-end test, built on this machine (no image registry is reachable)
 * with debootstrap and podman (through its Docker CLI, usually /usr/bin/docker: the first one
 * that is podman's, test/support/system-tools.ts): a Debian bookworm rootfs
 * (minbase, openssh-server, git, python3) with a Python environment at
 * /opt/conda/envs/workflow that root's ~/.bashrc activates, as dstack's base image activates its
 * conda `workflow` environment, imported
 * - under dstack's default image name (`dstackai/base:py3.11-0.6-cuda-12.1`, podman keeps it as
 *   localhost/dstackai/base:...), so that a configuration without `image` runs it;
 * - as a custom image whose ENTRYPOINT exits at once and whose USER is not root (as
 *   `text-generation-launcher` would, in the example).
 * Built once per test run, by the first caller; `removeTestImages()` removes them (call it in an
 * `after` hook).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { containerImage } from "../../bootstrap/image";
import { parseConfig } from "../../config/read";
import { SYSTEM_PATH, toolPath } from "./system-tools";

const MIRROR = "http://deb.debian.org/debian";
const ENV_DIR = "/opt/conda/envs/workflow";

export interface TestImages {
  /** dstack's default image name for Python 3.11, as a configuration without `image` uses it. */
  base: string;
  /** `ENTRYPOINT ["/bin/false"]`, `USER 65534`. */
  exitingEntrypoint: string;
}

let built: TestImages | undefined;

/** Runs podman's Docker CLI; its output. */
export function docker(...args: string[]): string {
  return execFileSync(toolPath("docker"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PATH: SYSTEM_PATH } }).trim();
}

/** The rootfs: debootstrap, then the Python environment and the ~/.bashrc line that activates it. */
function rootfs(dir: string): void {
  const env = { ...process.env, PATH: SYSTEM_PATH };
  execFileSync(toolPath("debootstrap"), ["--variant=minbase", "--include=openssh-server,git,python3", "bookworm", dir, MIRROR], { stdio: ["ignore", "ignore", "pipe"], env });
  execFileSync("chroot", [dir, "python3", "-m", "venv", "--without-pip", ENV_DIR], { env });
  fs.appendFileSync(path.join(dir, "root/.bashrc"), `\n# As dstack's base image activates conda's workflow environment.\n. ${ENV_DIR}/bin/activate\n`);
  // debootstrap's own host keys: the container's sshd must use the ones the VM keeps.
  for (const key of fs.readdirSync(path.join(dir, "etc/ssh")).filter((name) => name.startsWith("ssh_host_"))) fs.rmSync(path.join(dir, "etc/ssh", key));
}

/** Builds the images once per run (about a minute: debootstrap, then two imports). */
export function testImages(): TestImages {
  if (built) return built;
  const tag = `e2e-${process.pid}`;
  const images: TestImages = {
    base: containerImage(parseConfig("type: dev-environment\nide: vscode\n")),
    exitingEntrypoint: `localhost/dstack-pulumi-exiting-entrypoint:${tag}`,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "container-images-"));
  try {
    rootfs(path.join(dir, "rootfs"));
    execFileSync("tar", ["-C", path.join(dir, "rootfs"), "-cf", path.join(dir, "rootfs.tar"), "."]);
    docker("import", "--change", 'CMD ["/bin/bash"]', path.join(dir, "rootfs.tar"), images.base);
    docker("import", "--change", 'ENTRYPOINT ["/bin/false"]', "--change", "USER 65534", path.join(dir, "rootfs.tar"), images.exitingEntrypoint);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  built = images;
  return images;
}

/** Removes the images this run built (`docker rmi` of each name: a name, not every name of an image). */
export function removeTestImages(): void {
  if (!built) return;
  for (const image of Object.values(built)) docker("rmi", "--force", image);
  built = undefined;
}
