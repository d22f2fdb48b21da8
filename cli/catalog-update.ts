/**
 * `dstack-pulumi catalog update [--out FILE] [--backend B] [--region R]`: rebuilds the catalog from
 * the clouds' APIs with the user's credentials, progress on stderr. The file at `--out`, when it
 * exists, is the catalog being updated (what is not rebuilt is kept from it); else the bundled one.
 */
import { existsSync } from "node:fs";
import { CatalogError, loadBundledCatalog, loadCatalogFile } from "../catalog/load";
import type { Backend, Catalog } from "../catalog/types";
import type { Output } from "./validate";

export interface CatalogUpdateCliOptions {
  out: string;
  backend?: Backend[];
  region?: string[];
}



/** Runs `catalog update`; resolves to the exit code (0 written, 1 failed). */
export async function runCatalogUpdateCommand(options: CatalogUpdateCliOptions, output: Output, today = new Date().toISOString().slice(0, 10)): Promise<number> {
  let base: Catalog;
  try {
    base = existsSync(options.out) ? loadCatalogFile(options.out) : loadBundledCatalog();
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    output.stderr(`dstack-pulumi: ${error.message} (move it away to start from the bundled catalog)\n`);
    return 1;
  }
  // The SDK-facing module is loaded here only, so other commands never pay for it.
  const { runCatalogUpdate, CatalogUpdateError } = await import("../catalog/update/update");
  try {
    await runCatalogUpdate({
      out: options.out,
      backends: options.backend,
      regions: options.region,
      today,
      base,
      progress: (message) => output.stderr(`${message}\n`),
    });
  } catch (error) {
    if (!(error instanceof CatalogUpdateError)) throw error;
    output.stderr(`dstack-pulumi: catalog update: ${error.message}\n`);
    return 1;
  }
  output.stderr(`use it with: dstack-pulumi offers --catalog ${options.out} FILE\n`);
  return 0;
}
