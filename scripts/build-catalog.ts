/**
 * Builds the bundled catalog from the public source tables:
 *
 *     node dist/scripts/build-catalog.js [--sources DIR] [--out FILE]
 *
 * DIR defaults to `../shared/catalog-sources`, FILE to `catalog/data/catalog.json`, both relative to
 * the current directory. The same sources give the same file, byte for byte.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { encodeCatalog } from "../catalog/file-format";
import { buildCatalog, type SourceRows } from "./catalog-build/catalog";
import { parseCsv } from "./catalog-build/csv";
import type { Tally } from "./catalog-build/price";
import { SOURCE_FILES } from "./catalog-build/stamp";

export function readSourceRows(dir: string): SourceRows {
  const entries = Object.entries(SOURCE_FILES).map(([name, source]) => [name, parseCsv(readFileSync(join(dir, source.file), "utf8"))]);
  return Object.fromEntries(entries) as SourceRows;
}

function main(): void {
  const { values } = parseArgs({ options: { sources: { type: "string" }, out: { type: "string" } } });
  const sourcesDir = resolve(values.sources ?? "../shared/catalog-sources");
  const out = resolve(values.out ?? "catalog/data/catalog.json");
  const tally: Tally = new Map();
  const catalog = buildCatalog(readSourceRows(sourcesDir), tally);
  const text = encodeCatalog(catalog);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const priceRows = catalog.instances.reduce((sum, instance) => sum + instance.prices.length, 0);
  const lines = [
    `wrote ${out}: ${text.length} bytes, ${catalog.instances.length} instances, ${priceRows} prices, ${catalog.regions.length} regions`,
    ...[...tally].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, count]) => `  ${reason}: ${count}`),
  ];
  process.stderr.write(lines.join("\n") + "\n");
}

if (require.main === module) main();
