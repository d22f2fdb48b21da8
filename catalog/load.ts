/**
 * Loading a catalog: the bundled one (`catalog/data/catalog.json`, read once per process) or a file
 * the user gives (`--catalog FILE`, the component's `catalogPath`), checked for shape first.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { z as Zod } from "zod";
import { decodeCatalog } from "./file-format";
import { SUPPORTED_BACKENDS, type Catalog } from "./types";

/** The bundled catalog's path; found from this module's place in the package (source or dist). */
export function bundledCatalogPath(): string {
  const packageRoot = path.basename(path.dirname(__dirname)) === "dist" ? path.resolve(__dirname, "../..") : path.resolve(__dirname, "..");
  return path.join(packageRoot, "catalog", "data", "catalog.json");
}

/** A catalog file that cannot be used, with the reason. */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
}

let bundled: Catalog | undefined;

/** The bundled catalog (trusted: checked by the project's tests, so not re-checked here). */
export function loadBundledCatalog(): Catalog {
  bundled ??= decodeCatalog(readFileSync(bundledCatalogPath(), "utf8"));
  return bundled;
}

/** A positive price as JavaScript prints it (`1.006`, `0.0279`, `2e-7`), or nothing. */
const NUMBER = String.raw`(?:(?:0\.\d*[1-9]\d*|[1-9]\d*(?:\.\d+)?)(?:e-?\d+)?)?`;
const ENTRY = String.raw`[^;|,]+\|${NUMBER}\|${NUMBER}\|[0-3]\|[^;|]*`;
const PRICES_PATTERN = new RegExp(`^(?:${ENTRY}(?:;${ENTRY})*)?$`);

/** The shape a catalog file must have (zod is loaded only when a user's catalog file is read). */
function catalogFileSchema(): Zod.ZodType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require("zod") as typeof import("zod");
  const source = z.object({ id: z.string(), description: z.string(), data_date: z.string(), origin: z.string(), license: z.string() });
  return z.object({
    stamp: z.object({
      format: z.literal(1),
      built_from: z.enum(["sources", "live"]),
      data_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      oldest_data_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      sources: z.array(source),
    }),
    regions: z.array(z.object({ backend: z.enum(SUPPORTED_BACKENDS), name: z.string().min(1), kind: z.enum(["standard", "local-zone", "wavelength", "govcloud", "china"]) })),
    instances: z.array(
      z.object({
        backend: z.enum(SUPPORTED_BACKENDS),
        instance_type: z.string().min(1),
        cpus: z.number().positive(),
        memory_gb: z.number().positive(),
        arch: z.enum(["x86", "arm"]),
        gpu: z.object({ vendor: z.enum(["nvidia", "amd"]), name: z.string().min(1), memory_gb: z.number().positive(), count: z.number().int().positive() }).nullable(),
        tpu: z.object({ version: z.string(), chips: z.number().positive(), hosts: z.number().int().positive(), hbm_gb: z.number().positive().nullable() }).nullable(),
        local_ssd_gb: z.number().nonnegative().nullable(),
        // `region|on_demand|spot|flags|zone suffixes` entries joined by `;` (file-format.ts)
        prices: z.string().regex(PRICES_PATTERN, "prices: region|on_demand|spot|flags|zone suffixes entries joined by ;"),
      }),
    ),
  });
}

/** Reads and checks a catalog file; a bad file gives a `CatalogError` naming the file and the first problems. */
export function loadCatalogFile(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CatalogError(`${file}: cannot read the catalog: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`${file}: not a catalog: ${(error as Error).message}`);
  }
  const checked = catalogFileSchema().safeParse(raw);
  if (!checked.success) {
    const problems = checked.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`);
    throw new CatalogError(`${file}: not a pulumi-dstack catalog (format 1): ${problems.join("; ")}`);
  }
  return decodeCatalog(text);
}

/** The catalog at `file`, or the bundled one. */
export function loadCatalog(file?: string): Catalog {
  return file === undefined ? loadBundledCatalog() : loadCatalogFile(file);
}
