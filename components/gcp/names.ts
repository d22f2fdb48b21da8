/**
 * GCP names and labels: the Pulumi names of the children (`<name>-fw`, `<name>-vm`, ...) and the
 * names GCP itself sees (disk names, labels), each within its own charset and length. The names
 * that derive from the environment's identity (service account, secrets, network tag, firewall
 * rules) are in ../identity.ts. Everything derives from the plan, never from outputs.
 */
import { fit, hashedName, shortHash } from "../names";

/** A secret's key in child names: lower case, each character outside `[a-z0-9]` as `-` (`HF_TOKEN` -> `hf-token`). */
function keyPart(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "-");
}

/** The Pulumi names of a component's GCP children. */
export const childNames = {
  firewall: (name: string) => `${name}-fw`,
  firewallV6: (name: string) => `${name}-fw6`,
  serviceAccount: (name: string) => `${name}-sa`,
  secret: (name: string, key: string) => `${name}-secret-${keyPart(key)}`,
  secretVersion: (name: string, key: string) => `${name}-secret-${keyPart(key)}-version`,
  secretAccess: (name: string, key: string) => `${name}-secret-${keyPart(key)}-access`,
  vm: (name: string) => `${name}-vm`,
  address: (name: string) => `${name}-ip`,
  volume: (name: string, volume: string) => `${name}-vol-${volume}`,
  attachment: (name: string, volume: string) => `${name}-attach-${volume}`,
};

/** A name GCE accepts for an instance, disk, tag or firewall (RFC 1035 label: `[a-z]([-a-z0-9]*[a-z0-9])?`, up to 63). */
export function isGceName(text: string): boolean {
  return /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(text);
}

/** The longest volume name a disk name can carry with its scope's hash (`<volume>-<hash>` in 63). */
export const MAX_GCP_VOLUME_NAME = 63 - 9;

/**
 * The GCE disk of volume `volume` in scope `scope`: `<volume>-<hash of the scope>`. Disk names are
 * unique per zone and project, so two scopes (two stacks) that mount the same volume name get two
 * disks, and neither finds the other's by name.
 */
export function diskNameFor(volume: string, scope: string): string {
  return `${volume}-${shortHash(scope)}`;
}

/** A label value GCP accepts (up to 63 of `[a-z0-9_-]`): lower-cased, other characters as `_`, shortened with a hash. */
export function labelValue(text: string): string {
  return fit(text.toLowerCase().replace(/[^a-z0-9_-]/g, "_"), 63, "_");
}

/** The `dstack_scope` label of a scope: label-safe, always with the scope's hash (`Team/ML` and `team_ml` differ). */
export function scopeLabel(scope: string): string {
  return hashedName(scope.toLowerCase().replace(/[^a-z0-9_-]/g, "_"), scope, 63);
}

/** True for a label GCP accepts as it is (dstack's `filter_invalid_labels` rule). */
export function isValidLabel(key: string, value: string): boolean {
  return /^[a-z][_\-a-z0-9]{0,62}$/.test(key) && /^[_\-a-z0-9]{0,63}$/.test(value);
}
