/**
 * `dstack-pulumi catalog update [--json] [--out FILE] [--backend B] [--region R]`: rebuilds the
 * catalog from the clouds' APIs with the user's credentials, progress on stderr. The file at
 * `--out`, when it exists, is the catalog being updated (what is not rebuilt is kept from it); else
 * the bundled one. With `--json`, `{"file", "instances", "prices"}` or the error object on stdout.
 */
import { existsSync } from "node:fs";
import { CatalogError, loadBundledCatalog, loadCatalogFile } from "../catalog/load";
import type { Backend, Catalog } from "../catalog/types";
import type { CatalogUpdateOptions } from "../catalog/update/update";
import { fail } from "./failure";
import type { Output } from "./validate";

export interface CatalogUpdateCliOptions {
  json?: boolean;
  out: string;
  backend?: Backend[];
  region?: string[];
}

/** What the command calls to rebuild; tests give a stand-in (the real one needs credentials). */
export type CatalogUpdater = (options: CatalogUpdateOptions) => Promise<{ instances: number; prices: number }>;

/** Runs `catalog update`; resolves to the exit code (0 written, 1 failed). */
export async function runCatalogUpdateCommand(options: CatalogUpdateCliOptions, output: Output, today = new Date().toISOString().slice(0, 10), updater?: CatalogUpdater): Promise<number> {
  let base: Catalog;
  try {
    base = existsSync(options.out) ? loadCatalogFile(options.out) : loadBundledCatalog();
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    return fail(output, options.json, { code: "invalid_catalog", message: `${error.message} (move it away to start from the bundled catalog)` });
  }
  // The SDK-facing module is loaded here only, so other commands never pay for it.
  const { runCatalogUpdate, CatalogUpdateError } = await import("../catalog/update/update");
  let written: { instances: number; prices: number };
  try {
    written = await (updater ?? runCatalogUpdate)({
      out: options.out,
      backends: options.backend,
      regions: options.region,
      today,
      base,
      progress: (message) => output.stderr(`${message}\n`),
    });
  } catch (error) {
    if (!(error instanceof CatalogUpdateError)) throw error;
    return fail(output, options.json, { code: "catalog_update_failed", message: `catalog update: ${error.message}` });
  }
  if (options.json) output.stdout(`${JSON.stringify({ file: options.out, instances: written.instances, prices: written.prices }, null, 2)}\n`);
  else output.stderr(`use it with: dstack-pulumi offers --catalog ${options.out} FILE\n`);
  return 0;
}
