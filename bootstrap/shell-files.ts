/**
 * The static shell parts of the bootstrap, kept as real files in `bootstrap/shell/` so that they
 * are linted as they are; read once from the package.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const cache = new Map<string, string>();

export type ShellFileName = "bootstrap-lib.sh" | "nvidia.sh" | "volumes.sh" | "workflow-repo.sh" | "container-init.sh" | "idle-check.sh" | "refresh-user-data.sh" | "fetch-boot-ssm.py";

/**
 * The code of `bootstrap/shell/<name>`: the file without its comment lines (the `#!` line and
 * shellcheck directives stay). The VM gets its shell parts this way: EC2 takes at most 16 KB of
 * user data, and the comments are read in the files themselves. (So no line of a file's code may
 * start with `#`, inside a multi-line string say: the lint and golden tests would show it.)
 */
export function shellCode(name: ShellFileName): string {
  return shellFile(name)
    .split("\n")
    .filter((line) => !/^\s*#/.test(line) || /^#!|^\s*# shellcheck /.test(line))
    .join("\n");
}

/** The text of `bootstrap/shell/<name>`. */
export function shellFile(name: ShellFileName): string {
  let text = cache.get(name);
  if (text === undefined) {
    const packageRoot = path.basename(path.dirname(__dirname)) === "dist" ? path.resolve(__dirname, "../..") : path.resolve(__dirname, "..");
    text = readFileSync(path.join(packageRoot, "bootstrap", "shell", name), "utf8");
    cache.set(name, text);
  }
  return text;
}
