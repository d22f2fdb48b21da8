/**
 * How the bootstrap reads a secret at boot: the lib's `fetch_secret_aws` / `fetch_secret_gcp`
 * with where the secret is kept (never its value).
 */
import { shellQuote } from "./shell-quote";
import type { SecretRef } from "./types";

/** `aws 'REGION' 'PARAMETER'` or `gcp 'PROJECT' 'SECRET'`: the cloud and the place of the secret, as shell words. */
export function secretPlace(ref: SecretRef): string {
  return ref.store === "aws-ssm" ? `aws ${shellQuote(ref.region)} ${shellQuote(ref.parameter)}` : `gcp ${shellQuote(ref.project)} ${shellQuote(ref.secret)}`;
}

/** `fetch_secret_aws 'REGION' 'PARAMETER' FILE` (or the gcp form): the secret into FILE, mode 600. */
export function fetchSecret(ref: SecretRef, file: string): string {
  return `fetch_secret_${secretPlace(ref)} ${file}`;
}
