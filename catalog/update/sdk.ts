/**
 * Loading the cloud SDKs, which only `catalog update` needs: they are optional peer dependencies, so
 * nothing else pays for loading them and a user without them gets the `npm install` to run.
 */
import type { Backend } from "../types";
import type { AwsSdk } from "./aws-fetch";
import { CatalogUpdateError } from "./api";
import type { GcpSdk } from "./gcp-fetch";

/** Loads a package by name (`import()`); tests give one that fails. */
export type ModuleLoader = (name: string) => Promise<unknown>;

export const importModule: ModuleLoader = (name) => import(name);

/** The packages each backend's update needs. */
export const SDK_PACKAGES: Record<Backend, string[]> = {
  aws: ["@aws-sdk/client-ec2", "@aws-sdk/client-pricing"],
  gcp: ["@google-cloud/compute", "@google-cloud/billing"],
};

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && String(message).includes(name);
}

export interface Sdks {
  aws?: AwsSdk;
  gcp?: GcpSdk;
}

/**
 * The SDK modules of the backends. Every package that is not installed is named in one error with
 * the command that installs them; a package that is there but fails to load is named with its error.
 */
export async function loadSdks(backends: readonly Backend[], load: ModuleLoader = importModule): Promise<Sdks> {
  const names = backends.flatMap((backend) => SDK_PACKAGES[backend]);
  const results = await Promise.allSettled(names.map((name) => load(name)));
  const missing = names.filter((name, index) => results[index].status === "rejected" && isMissing((results[index] as PromiseRejectedResult).reason, name));
  if (missing.length > 0) {
    const which = missing.length === 1 ? `${missing[0]}, which is not installed` : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}, which are not installed`;
    throw new CatalogUpdateError(`catalog update needs ${which} (optional dependencies of pulumi-dstack). Run: npm install ${missing.join(" ")}`);
  }
  const modules = new Map<string, unknown>();
  for (const [index, result] of results.entries()) {
    if (result.status === "rejected") throw new CatalogUpdateError(`catalog update could not load ${names[index]}: ${(result.reason as Error)?.message ?? result.reason}`);
    modules.set(names[index], result.value);
  }
  const module = <T>(name: string) => modules.get(name) as T;
  return {
    aws: backends.includes("aws") ? { ec2: module("@aws-sdk/client-ec2"), pricing: module("@aws-sdk/client-pricing") } : undefined,
    gcp: backends.includes("gcp") ? { compute: module("@google-cloud/compute"), billing: module("@google-cloud/billing") } : undefined,
  };
}
