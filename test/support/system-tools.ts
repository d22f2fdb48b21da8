/**
 * The system tools some tests need (shellcheck, cloud-init, the block-device tools, podman, ssh,
 * git, ...), where they are, and what a test does without one.
 *
 * - A tool is looked up in `SYSTEM_PATH`: the folders of PATH, each `.../bin` with its `.../sbin`
 *   (a non-root PATH lists no sbin folder, where blkid, mkfs.ext4, losetup and sshd live), the
 *   standard ones first (/usr/sbin, /usr/bin, /sbin, /bin: so /usr/bin/docker comes before another
 *   docker in /usr/local/bin). The tests run the path found (`toolPath`), and the bootstrap sandbox
 *   runs its scripts with `SYSTEM_PATH`, so a tool hidden from PATH is hidden from the tests too.
 * - `requireTools(this, ["shellcheck"])`, first thing in a test or in a `before` hook (then for
 *   every test of the describe): when one is missing, the test is skipped (mocha's pending) and
 *   its title says why, `(skipped: needs shellcheck (apt-get install shellcheck))`; with CI set
 *   (`CI=true`, as .ci/run runs), it fails with that message instead: CI must run every test.
 * - `skippedForTools()`: what was skipped, for the summary test/setup.ts prints at the end.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Context, Hook, Suite, Test } from "mocha";

/** The Debian package of each tool the tests use (the package .ci/run installs). */
const PACKAGES = {
  shellcheck: "shellcheck",
  "cloud-init": "cloud-init",
  "mkfs.ext4": "e2fsprogs",
  "mkfs.ext2": "e2fsprogs",
  debugfs: "e2fsprogs",
  dumpe2fs: "e2fsprogs",
  resize2fs: "e2fsprogs",
  blkid: "util-linux",
  lsblk: "util-linux",
  partx: "util-linux",
  mkswap: "util-linux",
  blockdev: "util-linux",
  mountpoint: "util-linux",
  losetup: "mount",
  mount: "mount",
  umount: "mount",
  "mkfs.xfs": "xfsprogs",
  xfs_growfs: "xfsprogs",
  xfs_info: "xfsprogs",
  sgdisk: "gdisk",
  podman: "podman",
  /** podman's Docker CLI: another docker client does not count. */
  docker: "podman-docker",
  runc: "runc",
  debootstrap: "debootstrap",
  sshd: "openssh-server",
  ssh: "openssh-client",
  "ssh-keygen": "openssh-client",
  git: "git",
  /** The fleet VM's boot fetcher (cloud-init needs it too). */
  python3: "python3",
  /** The shells `dstack-pulumi completion` writes scripts for. */
  bash: "bash",
  zsh: "zsh",
  fish: "fish",
} as const;

export type Tool = keyof typeof PACKAGES;
/** What else a test may need of this machine: to run as root, loop devices (/dev/loop-control). */
export type Need = Tool | "root" | "loop devices";

/** Where a root shell finds its tools, in its order. */
const STANDARD = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Where the tests look for system tools and the sandbox's scripts find them: see the top of this file. */
export const SYSTEM_PATH = systemPath(process.env.PATH ?? "");

/** PATH's folders, each `.../bin` followed by its `.../sbin`, without repeats; the standard ones first. */
export function systemPath(pathVariable: string): string {
  const dirs = new Set<string>();
  for (const dir of pathVariable.split(":").filter(Boolean)) {
    dirs.add(dir);
    if (path.basename(dir) === "bin") dirs.add(path.join(path.dirname(dir), "sbin"));
  }
  return [...STANDARD.filter((dir) => dirs.has(dir)), ...[...dirs].filter((dir) => !STANDARD.includes(dir))].join(":");
}

const found = new Map<string, string | null>();

/** The first executable `name` in the folders of `search` (SYSTEM_PATH unless said); null when none. */
export function findExecutable(name: string, search = SYSTEM_PATH): string | null {
  for (const dir of search.split(":").filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // Not there, or not executable: the next folder.
    }
  }
  return null;
}

/** Where the tool is, or null: for docker, the first on SYSTEM_PATH that is podman's Docker CLI. */
export function findTool(tool: Tool): string | null {
  if (!found.has(tool)) found.set(tool, tool === "docker" ? podmanDocker() : findExecutable(tool));
  return found.get(tool)!;
}

function podmanDocker(): string | null {
  for (const dir of SYSTEM_PATH.split(":").filter(Boolean)) {
    const file = findExecutable("docker", dir);
    if (file && /^podman version /m.test(spawnSync(file, ["--version"], { encoding: "utf8", timeout: 10_000 }).stdout ?? "")) return file;
  }
  return null;
}

/** The tool's path; throws naming the tool and its package when it is missing (a test that did not `requireTools` it). */
export function toolPath(tool: Tool): string {
  const file = findTool(tool);
  if (file === null) throw new Error(`${tool} is missing: ${describeMissing([tool])} (a test that runs it calls requireTools first)`);
  return file;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Whether the need is met on this machine. */
function met(need: Need): boolean {
  if (need === "root") return isRoot();
  if (need === "loop devices") return fs.existsSync("/dev/loop-control");
  return findTool(need) !== null;
}

/** The needs that are not met, in the order given. */
export function missing(needs: readonly Need[]): Need[] {
  return needs.filter((need) => !met(need));
}

/**
 * The missing needs and how to meet them: the tools, then one install command for their packages,
 * then root and loop devices: `mkfs.xfs, sgdisk (apt-get install xfsprogs gdisk), root (run the
 * tests as root)`.
 */
export function describeMissing(needs: readonly Need[]): string {
  const tools = needs.filter((need): need is Tool => need in PACKAGES);
  const parts = tools.length === 0 ? [] : [`${tools.join(", ")} (apt-get install ${[...new Set(tools.map((tool) => PACKAGES[tool]))].join(" ")})`];
  if (needs.includes("root")) parts.push("root (run the tests as root)");
  if (needs.includes("loop devices")) parts.push("loop devices (/dev/loop-control; as root: modprobe loop)");
  return parts.join(", ");
}

/** CI is set (CI=true, as .ci/run and most CI services set it): every test must run. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/** A test skipped for want of tools: its full title (the reason not included) and what it needs. */
export interface SkippedTest {
  title: string;
  missing: Need[];
}

const skipped: SkippedTest[] = [];

/** The tests skipped so far in this process for want of tools. */
export function skippedForTools(): readonly SkippedTest[] {
  return skipped;
}

function testsOf(suite: Suite): Test[] {
  return [...suite.tests, ...suite.suites.flatMap(testsOf)];
}

/**
 * Call first in a test (`it("...", function () { requireTools(this, [...]); ... })`) or in a
 * `before` hook (then it holds for every test of the describe, nested ones included). When a need
 * is missing: without CI, the test (or each test of the describe) is skipped, its title ending
 * with `(skipped: needs TOOL (apt-get install PACKAGE))`; with CI set, it throws that message.
 */
export function requireTools(ctx: Context, needs: readonly Need[]): void {
  const absent = missing(needs);
  if (absent.length === 0) return;
  const reason = `needs ${describeMissing(absent)}`;
  if (inCi()) throw new Error(`${reason}; CI is set, so a missing tool fails the test instead of skipping it`);
  const runnable = ctx.test as Test | Hook | undefined;
  if (!runnable) throw new Error("requireTools: call it in a test or a hook");
  const tests = runnable.type === "hook" ? testsOf(runnable.parent!) : [runnable];
  for (const test of tests) {
    skipped.push({ title: test.fullTitle(), missing: absent });
    test.title = `${test.title} (skipped: ${reason})`;
  }
  ctx.skip();
}

/** Inside a `describe`: a `before` hook that requires the needs for all of its tests. */
export function describeNeeds(needs: readonly Need[]): void {
  before(function () {
    requireTools(this, needs);
  });
}
