/**
 * The static shell parts of the bootstrap, kept as real files in `bootstrap/shell/` so that they
 * are linted as they are; read once from the package.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const cache = new Map<string, string>();

/** The text of `bootstrap/shell/<name>`. */
export function shellFile(name: "bootstrap-lib.sh" | "container-init.sh" | "idle-check.sh" | "refresh-user-data.sh"): string {
  let text = cache.get(name);
  if (text === undefined) {
    const packageRoot = path.basename(path.dirname(__dirname)) === "dist" ? path.resolve(__dirname, "../..") : path.resolve(__dirname, "..");
    text = readFileSync(path.join(packageRoot, "bootstrap", "shell", name), "utf8");
    cache.set(name, text);
  }
  return text;
}
