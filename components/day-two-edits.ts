/**
 * What each edit a user makes to a running environment does to its VM, per kind of environment:
 * nothing, in place, a stop and start, or a replacement (which loses the root disk: the
 * container, pip and apt installs, and /workflow unless it is on a volume; network volumes keep
 * their data). The day-two test checks every entry against the two-run harness (the providers'
 * rules in force-new.json and the component's options); the README's table and `plan`'s day-two
 * section are made from it.
 */
import type { Offer } from "../offers/offer";
import type { ChangeKind } from "./change-effects";

/** The kinds of environment, as the table's columns. */
export const COLUMNS = ["aws", "awsSpot", "awsFleet", "gcp", "tpu"] as const;
export type Column = (typeof COLUMNS)[number];

export const COLUMN_TITLES: Record<Column, string> = { aws: "AWS VM", awsSpot: "AWS spot VM", awsFleet: "AWS fleet VM", gcp: "GCP VM", tpu: "GCP TPU VM" };

/** The column of an offer (`fleet`: its AWS VM is launched by an EC2 Fleet, on demand or spot alike). */
export function columnOf(offer: Pick<Offer, "backend" | "spot" | "tpu">, fleet = false): Column {
  if (offer.backend === "aws") return fleet ? "awsFleet" : offer.spot ? "awsSpot" : "aws";
  return offer.tpu ? "tpu" : "gcp";
}

/** An edit and its effect on the VM. */
export interface EditEffect {
  /** A stable id (the test's key). */
  id: string;
  /** What the user changes, as the table says it. */
  change: string;
  /** What it does to the VM, per column. */
  effect: Record<Column, ChangeKind>;
  /** Why, in a few words. */
  why: string;
}

export const EDIT_EFFECTS: readonly EditEffect[] = [
  { id: "tags", change: "tags", effect: { aws: "in-place", awsSpot: "in-place", awsFleet: "in-place", gcp: "in-place", tpu: "in-place" },
    why: "tags and labels update in place (a launch template's new version is for the next VM)" },
  { id: "ssh-key", change: "SSH key", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "none", gcp: "in-place", tpu: "in-place" },
    why: "the key is in the user data (AWS: a stop and start; a spot VM cannot stop), the metadata (GCP: the host takes it at once, the container at its next start) or the boot script a fleet's VM reads from SSM at its next boot" },
  { id: "run-name", change: "run name", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "in-place", gcp: "in-place", tpu: "in-place" },
    why: "the container's name is in the boot script (a fleet changes only its tags)" },
  { id: "allowed-cidrs", change: "allowedCidrs", effect: { aws: "none", awsSpot: "none", awsFleet: "none", gcp: "none", tpu: "none" },
    why: "the security group or firewall rule changes in place" },
  { id: "env", change: "env (a value in the file)", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "none", gcp: "in-place", tpu: "in-place" },
    why: "the boot script changes (GCP, TPU and fleet VMs run it at their next boot)" },
  { id: "secret", change: "a secret's value", effect: { aws: "none", awsSpot: "none", awsFleet: "none", gcp: "none", tpu: "none" },
    why: "only the secret store changes; the VM reads it at its next boot" },
  { id: "repo-commit", change: "a new commit of the repository", effect: { aws: "none", awsSpot: "none", awsFleet: "none", gcp: "none", tpu: "none" },
    why: "/workflow is cloned at the first boot only: the commit is kept (stash `<name>-repo`) until the repository, branch or machine changes; pull inside the environment" },
  { id: "boot-script", change: "init, ide, image or python", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "none", gcp: "in-place", tpu: "in-place" },
    why: "the boot script changes (GCP, TPU and fleet VMs run it at their next boot)" },
  { id: "disk", change: "disk size", effect: { aws: "in-place", awsSpot: "in-place", awsFleet: "none", gcp: "in-place", tpu: "none" },
    why: "the root volume grows in place (its file system at the next boot); a TPU VM's boot disk is fixed, a fleet VM's keeps its size (the next VM gets the new one)" },
  { id: "instance-type", change: "instance type (a new lock, or instanceType)", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "replace", gcp: "stop-start", tpu: "replace" },
    why: "EC2 and GCE change the type of a stopped VM; a spot VM cannot stop; a TPU slice is fixed; an instant fleet cannot be modified" },
  { id: "spot-policy", change: "spot policy", effect: { aws: "replace", awsSpot: "replace", awsFleet: "replace", gcp: "replace", tpu: "replace" },
    why: "the market is chosen at launch" },
  { id: "volume-added", change: "a volume added", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "none", gcp: "in-place", tpu: "replace" },
    why: "a new disk and attachment; the boot script mounts it (a TPU VM's data disks are fixed; a fleet VM mounts it at its next boot)" },
  { id: "volume-removed", change: "a volume removed", effect: { aws: "stop-start", awsSpot: "replace", awsFleet: "none", gcp: "in-place", tpu: "replace" },
    why: "the boot script stops mounting it; the volume and its data are kept" },
];

/** How the table words a change kind. */
export const KIND_WORDS: Record<ChangeKind, string> = {
  none: "nothing",
  "in-place": "in place",
  "stop-start": "stop and start",
  replace: "**replaced**",
  create: "created",
  delete: "deleted",
};

/** The README's table of edits (markdown). */
export function editsTable(edits: readonly EditEffect[] = EDIT_EFFECTS): string {
  const header = `| change | ${COLUMNS.map((column) => COLUMN_TITLES[column]).join(" | ")} | why |`;
  const rule = `|---|${COLUMNS.map(() => "---").join("|")}|---|`;
  const rows = edits.map((edit) => `| ${edit.change} | ${COLUMNS.map((column) => KIND_WORDS[edit.effect[column]]).join(" | ")} | ${edit.why} |`);
  return [header, rule, ...rows].join("\n") + "\n";
}

/** The edits, by what they do to a VM of `column` (for `plan`). */
export function editsByEffect(column: Column): Record<"replace" | "stop-start" | "in-place" | "none", string[]> {
  const groups: Record<"replace" | "stop-start" | "in-place" | "none", string[]> = { replace: [], "stop-start": [], "in-place": [], none: [] };
  for (const edit of EDIT_EFFECTS) {
    const kind = edit.effect[column];
    if (kind === "replace" || kind === "stop-start" || kind === "in-place" || kind === "none") groups[kind].push(edit.change);
  }
  return groups;
}
