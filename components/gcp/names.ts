/**
 * GCP names and labels: the Pulumi names of the children (`<name>-fw`, `<name>-vm`, ...) and the
 * names GCP itself sees (secret ids, the service account id, the network tag, disk names, labels),
 * each within its own charset and length. Everything derives from the plan, never from outputs.
 */
import { createHash } from "node:crypto";

/** A short, stable hash (hex) that keeps shortened names distinct. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Lower case, every run of other characters than `[a-z0-9]` as one `-`, no leading or trailing `-`. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** `text` when it fits in `max`, else its head and a hash of the whole (same input, same result). */
function fit(text: string, max: number, separator: string): string {
  if (text.length <= max) return text;
  const hash = shortHash(text);
  const head = text.slice(0, max - hash.length - separator.length).replace(/[-_]+$/, "");
  return `${head}${separator}${hash}`;
}

/** A secret's key in child names: lower case, each character outside `[a-z0-9]` as `-` (`HF_TOKEN` -> `hf-token`). */
function keyPart(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "-");
}

/** The Pulumi names of a component's GCP children. */
export const childNames = {
  firewall: (name: string) => `${name}-fw`,
  serviceAccount: (name: string) => `${name}-sa`,
  secret: (name: string, key: string) => `${name}-secret-${keyPart(key)}`,
  secretVersion: (name: string, key: string) => `${name}-secret-${keyPart(key)}-version`,
  secretAccess: (name: string, key: string) => `${name}-secret-${keyPart(key)}-access`,
  vm: (name: string) => `${name}-vm`,
  volume: (name: string, volume: string) => `${name}-vol-${volume}`,
};

/** A name GCE accepts for an instance, disk, tag or firewall (RFC 1035 label: `[a-z]([-a-z0-9]*[a-z0-9])?`, up to 63). */
export function isGceName(text: string): boolean {
  return /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(text);
}

/** The network tag the firewall rule targets and the VM carries: `dstack-<run name>`. */
export function networkTag(runName: string): string {
  return fit(`dstack-${slug(runName)}`, 63, "-");
}

/** A Secret Manager secret id (`[A-Za-z0-9_-]`, up to 255): `dstack-<run name>-env-<KEY>` or `dstack-<run name>-registry-password`. */
export function secretId(runName: string, key: string, isRegistryPassword: boolean): string {
  const run = slug(runName);
  const id = isRegistryPassword ? `dstack-${run}-registry-password` : `dstack-${run}-env-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return fit(id, 255, "-");
}

/** The service account id (6 to 30 of `[a-z0-9-]`, starting with a letter): `dstack-<run name>`, shortened with a hash. */
export function serviceAccountId(runName: string): string {
  return fit(`dstack-${slug(runName)}`, 30, "-");
}

/** A label value GCP accepts (up to 63 of `[a-z0-9_-]`): lower-cased, other characters as `_`, shortened with a hash. */
export function labelValue(text: string): string {
  return fit(text.toLowerCase().replace(/[^a-z0-9_-]/g, "_"), 63, "_");
}

/** True for a label GCP accepts as it is (dstack's `filter_invalid_labels` rule). */
export function isValidLabel(key: string, value: string): boolean {
  return /^[a-z][_\-a-z0-9]{0,62}$/.test(key) && /^[_\-a-z0-9]{0,63}$/.test(value);
}
