/**
 * The cloud SDKs (`@pulumi/aws`, `@pulumi/gcp`) are optional peer dependencies: a program installs
 * the one its backend needs, and the component loads it only when an offer (or a `Volume`) of that
 * backend is declared. A missing one is an error that says which package to install.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The Pulumi package each backend's resources come from. */
export const CLOUD_SDKS = { aws: "@pulumi/aws", gcp: "@pulumi/gcp" } as const;

/** A backend's cloud SDK is not installed. */
export class MissingCloudSdkError extends Error {
  override readonly name = "MissingCloudSdkError";
}

/** The version range of `sdk` this package accepts (its `peerDependencies`), or "" when unknown. */
export function peerRange(sdk: string): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies?.[sdk] ?? "";
  } catch {
    return "";
  }
}

/** True when `error` is Node's "Cannot find module" for `sdk` or one of its submodules. */
function isMissing(error: unknown, sdk: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "MODULE_NOT_FOUND" && typeof message === "string" && (message.includes(`'${sdk}'`) || message.includes(`'${sdk}/`));
}

/** `load()` (the backend's module, which imports its SDK), or a MissingCloudSdkError naming the package to install. */
export async function loadCloudModule<T>(backend: keyof typeof CLOUD_SDKS, load: () => Promise<T>): Promise<T> {
  const sdk = CLOUD_SDKS[backend];
  try {
    return await load();
  } catch (error) {
    if (!isMissing(error, sdk)) throw error;
    const range = peerRange(sdk);
    const spec = range ? `${sdk}@"${range}"` : sdk;
    throw new MissingCloudSdkError(`the ${backend} backend needs ${sdk}, which is not installed: run \`npm install ${spec}\` in your Pulumi project (pulumi-dstack loads each cloud's SDK only for the backends you use)`);
  }
}
