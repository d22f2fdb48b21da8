/**
 * One index per catalog per process: the CLI and the component (which `plan` runs in the same
 * process) share it, so a catalog is read and indexed once.
 */
import { loadCatalog } from "../catalog/load";
import { OfferIndex } from "./offer-index";

const indexes = new Map<string, OfferIndex>();

/** The index of the catalog at `catalogFile`, or of the bundled catalog. */
export function sharedOfferIndex(catalogFile?: string): OfferIndex {
  const key = catalogFile ?? "";
  let index = indexes.get(key);
  if (!index) indexes.set(key, (index = new OfferIndex(loadCatalog(catalogFile))));
  return index;
}
