/**
 * What every cloud call of `catalog update` goes through: a failure becomes one line for the user
 * that names the API and where it was called (region or project), with the cloud's own reason and a
 * hint, never a stack trace; and pagination by token.
 */

/** An error meant for the user of `catalog update`: print its message, not its stack. */
export class CatalogUpdateError extends Error {
  override readonly name = "CatalogUpdateError";
}

/** Where progress goes: one line per step (`aws us-east-1: 812 instance type offerings`). */
export type Progress = (message: string) => void;

const AWS_CREDENTIAL_CODES = ["AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "CredentialsProviderError", "SignatureDoesNotMatch"];
const AWS_PERMISSION_CODES = ["UnauthorizedOperation", "AccessDeniedException", "AccessDenied"];

const AWS_CREDENTIAL_HINT = "Check the AWS credentials (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).";
const AWS_PERMISSION_HINT =
  "The credentials need ec2:DescribeRegions, ec2:DescribeInstanceTypes, ec2:DescribeInstanceTypeOfferings, ec2:DescribeSpotPriceHistory and pricing:GetProducts.";
const GCP_AUTH_HINT =
  "Check the Google Cloud credentials (gcloud auth application-default login) and that the project has the Compute Engine and Cloud Billing APIs enabled.";

interface CloudError {
  name?: string;
  message?: string;
  code?: unknown;
  status?: unknown;
}

/** A Google REST error body (`{"error": {"code", "message", "status"}}`) inside a message, if there is one. */
function googleErrorBody(message: string): { code?: number; message?: string; status?: string } | undefined {
  const start = message.indexOf("{");
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: { code?: number; message?: string; status?: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

/** `text` ending as a sentence, followed by `hint`. */
function withHint(text: string, hint: string): string {
  return `${/[.!?]$/.test(text) ? text : text + "."} ${hint}`;
}

/** The cloud's reason for a failed call, in one line, with a hint for credential and permission problems. */
export function describeCloudError(error: unknown): string {
  const cloud = (typeof error === "object" && error !== null ? error : { message: String(error) }) as CloudError;
  const google = googleErrorBody(cloud.message ?? "");
  if (google?.message) {
    const text = `${[google.code, google.status].filter((part) => part !== undefined).join(" ")}: ${google.message}`.replace(/^: /, "");
    return google.code === 401 || google.code === 403 ? withHint(text, GCP_AUTH_HINT) : text;
  }
  const message = (cloud.message ?? "").split("\n")[0].trim();
  const name = cloud.name && cloud.name !== "Error" ? cloud.name : undefined;
  const text = name && !message.startsWith(name) ? `${name}: ${message}` : message || name || "unknown error";
  if (name && AWS_CREDENTIAL_CODES.includes(name)) return withHint(text, AWS_CREDENTIAL_HINT);
  if (name && AWS_PERMISSION_CODES.includes(name)) return withHint(text, AWS_PERMISSION_HINT);
  const code = cloud.code ?? cloud.status;
  if (code === 401 || code === 403 || /default credentials/i.test(message)) return withHint(text, GCP_AUTH_HINT);
  return text;
}

/**
 * Runs one cloud call. A failure becomes a `CatalogUpdateError`: `<api> <where> failed: <reason>`,
 * e.g. `AWS EC2 DescribeInstanceTypes in us-east-1 failed: AuthFailure: ...`.
 */
export async function callApi<T>(api: string, where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CatalogUpdateError) throw error;
    throw new CatalogUpdateError(`${api}${where ? " " + where : ""} failed: ${describeCloudError(error)}`);
  }
}

/** One page of a token-paginated API: its items and the token of the next page (absent or empty at the end). */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** Every item of a token-paginated API, following the tokens until one is absent, empty or repeated. */
export async function allPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    pages++;
    token = page.next || undefined;
    if (token !== undefined && seen.has(token)) break;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return { items, pages };
}

/** `1 page` / `3 pages`, for progress lines. */
export function counted(count: number, noun: string, plural = noun + "s"): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
