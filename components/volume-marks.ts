/**
 * How a network volume says whose it is. Every volume this project creates carries marks on the
 * cloud (AWS tags, GCP labels): its scope (by default the Pulumi project and stack; a team may
 * share a wider one), its volume name, and, when a `DevEnvironment` created it, the owner (the
 * environment's project/stack/name). A volume found by name is then:
 * - `own`: created by this environment: declared again (imported after a `destroy` kept it);
 * - `scope`: created in this scope by another component (a `Volume`): attached, never declared;
 * - `other`: another scope's (a colleague's stack): ignored, as if it were not there;
 * - `foreign`: no marks at all (made by hand or another tool): never attached because of its
 *   name; the lookup stops and says how to register it by id.
 */
export type Ownership = "own" | "scope" | "other" | "foreign";

/** A volume's marks as read from the cloud (absent = undefined). */
export interface VolumeMarks {
  scope?: string;
  owner?: string;
}

/** Classifies a volume's marks for the environment whose scope and owner key are given. */
export function ownership(marks: VolumeMarks, mine: { scope: string; owner: string }): Ownership {
  if (marks.owner !== undefined && marks.owner === mine.owner) return "own";
  if (marks.scope !== undefined) return marks.scope === mine.scope ? "scope" : "other";
  return marks.owner !== undefined ? "other" : "foreign";
}

/** A scope the user gives: what both clouds can carry in a tag and (hashed) in a label. */
const SCOPE = /^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,127}$/;

/** The scope of an environment's volumes: the `volumeScope` arg, else the stack's. */
export function volumeScope(given: string | undefined, stackScope: string, component: string): string {
  if (given === undefined) return stackScope;
  if (typeof given !== "string" || !SCOPE.test(given)) {
    throw new Error(`${component}: volumeScope ${JSON.stringify(given)} is not a scope: 1 to 128 letters, digits and _ . : / = + @ -, starting with a letter or digit (e.g. "ml-team")`);
  }
  return given;
}

/** The error for a volume that matches only by name. `register` is the `volumes` entry that would mount it on purpose. */
export function foreignVolumeError(component: string, volume: string, what: string, scope: string, register: string): Error {
  return new Error(
    `${component}: volume ${volume}: ${what} is named ${volume} but was not created in this stack's volume scope (${scope}), so it is not attached. ` +
      `To mount it, register it by id in the volumes arg: ${register}; to create a new volume instead, give the volume another name in the configuration.`,
  );
}
