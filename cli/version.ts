/** The package's version, as `--version` prints it. */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The version in this package's `package.json`: the first one named `pulumi-dstack` above this
 * module (`dist/cli/` in a clone, `node_modules/pulumi-dstack/dist/cli/` when installed).
 */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (json.name === "pulumi-dstack" && json.version) return json.version;
    } catch {
      // no package.json here (or not ours): look further up
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
