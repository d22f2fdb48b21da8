/** A temporary folder for CLI tests: the hand-made catalog written as a file, and configurations. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeCatalog } from "../../catalog/file-format";
import { miniCatalog } from "./mini-catalog";

export interface CliWorkspace {
  dir: string;
  /** The hand-made catalog (`miniCatalog`), for `--catalog`. */
  catalogFile: string;
  /** Writes `type: dev-environment`, `ide: vscode` and `body` to `name` in the folder; returns its path. */
  config(name: string, body: string): string;
}

/** Makes a new workspace under the system's temporary folder (`prefix` names it). */
export function cliWorkspace(prefix: string): CliWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const catalogFile = path.join(dir, "catalog.json");
  fs.writeFileSync(catalogFile, encodeCatalog(miniCatalog()));
  return {
    dir,
    catalogFile,
    config(name, body) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `type: dev-environment\nide: vscode\n${body}`);
      return file;
    },
  };
}
