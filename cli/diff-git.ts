/**
 * The git repository of the current folder, as `diff` reads the base of a pull request from it:
 * a file at a revision (`git show REF:path`), the files under a folder at a revision, and the
 * current folder's place in the repository (a `REF:PATH` names PATH from the current folder, as
 * the working-tree path beside it does). Read-only; one `git` process per question.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

/** A git question that has no answer: not a repository, an unknown revision. */
export class GitError extends Error {
  override readonly name = "GitError";
}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new GitError(`git cannot run: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.trim() };
}

/** The repository of `cwd` at the revisions it is asked about (answers kept for the process's life). */
export class GitRepo {
  private prefixValue: string | undefined;
  private readonly checked = new Set<string>();

  constructor(readonly cwd: string) {}

  /** The current folder inside the repository (`envs/`, or `` at the top). */
  prefix(): string {
    if (this.prefixValue === undefined) {
      const result = git(this.cwd, ["rev-parse", "--show-prefix"]);
      if (!result.ok) throw new GitError(`${this.cwd} is not in a git repository: ${result.stderr}`);
      this.prefixValue = result.stdout.trim();
    }
    return this.prefixValue;
  }

  /** `file` (relative to the current folder) as a path from the repository's top. */
  repoPath(file: string): string {
    return path.posix.normalize(path.posix.join(this.prefix(), file.split(path.sep).join("/")));
  }

  /** A path from the repository's top as a path from the current folder. */
  localPath(repoPath: string): string {
    return path.posix.relative(this.prefix().replace(/\/$/, "") || ".", repoPath);
  }

  /** Refuses a revision git does not know (once per revision). */
  private check(ref: string): void {
    if (this.checked.has(ref)) return;
    const result = git(this.cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (!result.ok) throw new GitError(`${JSON.stringify(ref)} is not a revision of the git repository here (a branch, tag or commit, such as origin/main)`);
    this.checked.add(ref);
  }

  /** The text of `file` (relative to the current folder) at `ref`; null when it is not there. */
  show(ref: string, file: string): string | null {
    this.check(ref);
    const result = git(this.cwd, ["cat-file", "blob", `${ref}:${this.repoPath(file)}`]);
    return result.ok ? result.stdout : null;
  }

  /** The files under `folder` (relative to the current folder) at `ref`, relative to the current folder. */
  list(ref: string, folder: string): string[] {
    this.check(ref);
    const top = this.repoPath(folder);
    const result = git(this.cwd, ["ls-tree", "-r", "--name-only", "-z", ref, ...(top === "." ? [] : ["--", top])]);
    if (!result.ok) throw new GitError(`git ls-tree ${ref} ${folder}: ${result.stderr}`);
    return result.stdout.split("\0").filter((entry) => entry !== "").map((entry) => this.localPath(entry));
  }

  /** True when `folder` (relative to the current folder) is a folder at `ref`. */
  isFolder(ref: string, folder: string): boolean {
    this.check(ref);
    const result = git(this.cwd, ["cat-file", "-t", `${ref}:${this.repoPath(folder)}`]);
    return result.ok && result.stdout.trim() === "tree";
  }
}
