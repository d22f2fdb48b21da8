/**
 * The commit /workflow was cloned at, kept for the VM's life in the stash `<name>-repo`. The boot
 * clones on the first boot only, so a later commit in the repository holding `configPath` (the
 * default source) never reaches a running VM; without the stash, each new commit would still
 * change the boot script and so the VM's user data, which EC2 changes only by stopping the
 * instance (and a spot instance only by replacing it). With it, a new commit changes nothing.
 * The stash is replaced (and records today's commit) when the repository, its branch or its place
 * in /workflow change, or when the requirements that choose the machine change (the same key as the
 * kept offer): then the VM may be rebuilt anyway, and a new VM clones today's commit.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BootRepo } from "../bootstrap/types";
import { keptValue } from "./stash";

/** The repository as the boot gets it, without its token. */
export type KeptRepo = Omit<BootRepo, "token">;

function isKeptRepo(value: unknown): value is KeptRepo {
  const repo = value as Partial<KeptRepo> | undefined;
  return typeof repo?.url === "string" && typeof repo.path === "string" && typeof repo.singleBranch === "boolean"
    && (repo.branch === null || typeof repo.branch === "string") && (repo.hash === null || typeof repo.hash === "string");
}

/**
 * The repository to put in the boot script: the kept one while its url, branch, path and branch
 * mode and the machine's requirements (`machineKey`) are today's, else today's (`repo`); with a
 * warning when today's commit differs from the kept one.
 */
export async function keptRepo(name: string, repo: KeptRepo, machineKey: string, parent: pulumi.Resource): Promise<{ repo: KeptRepo; warning: string | null }> {
  const trigger = JSON.stringify({ url: repo.url, branch: repo.branch, path: repo.path, singleBranch: repo.singleBranch, machine: machineKey });
  const kept = (await keptValue<KeptRepo>(`${name}-repo`, repo, parent, isKeptRepo, trigger)).value;
  const same = kept.url === repo.url && kept.branch === repo.branch && kept.path === repo.path && kept.singleBranch === repo.singleBranch;
  if (!same || kept.hash === repo.hash) return { repo, warning: null };
  const short = (hash: string | null) => (hash === null ? "the branch's head" : hash.slice(0, 12));
  return {
    repo: kept,
    warning: `repo: /workflow was cloned at ${short(kept.hash)} when the VM was created; ${short(repo.hash)} reaches it by a git pull inside the environment (a new commit does not rebuild the VM)`,
  };
}
