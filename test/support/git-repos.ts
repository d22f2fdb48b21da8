/**
 * Bare git repositories for the clone tests, made with the real git: one commit per entry of
 * `commits` (the files it writes) on the branch `main`, so that a test can ask for an older commit
 * than the branch's head.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { toolPath } from "./system-tools";

const AUTHOR = ["-c", "user.name=dstack-pulumi tests", "-c", "user.email=tests@example.com", "-c", "commit.gpgsign=false"];

function git(cwd: string, ...args: string[]): string {
  return execFileSync(toolPath("git"), [...AUTHOR, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** `ROOT/NAME.git` with the commits, in order, on `main` (its HEAD); returns their hashes. */
export function makeRepo(root: string, name: string, commits: Record<string, string>[]): string[] {
  const work = fs.mkdtempSync(path.join(root, `${name}-work-`));
  git(work, "init", "--quiet", "--initial-branch=main");
  const hashes = commits.map((files, i) => {
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(work, file), content);
    git(work, "add", "--all");
    git(work, "commit", "--quiet", "-m", `commit ${i + 1}`);
    return git(work, "rev-parse", "HEAD");
  });
  git(root, "clone", "--quiet", "--bare", work, `${name}.git`);
  fs.rmSync(work, { recursive: true, force: true });
  return hashes;
}
