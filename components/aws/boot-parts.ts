/**
 * The bootstrap of a fleet's VM as SSM Parameter Store keeps it: gzipped (deterministically, see
 * gzip.ts), base64-encoded and cut into `BOOT_PARTS` parts of at most `PART_CHARS` characters (the
 * Standard tier's limit: no charge), after a manifest `{"sha256": <of the script>, "parts": n}`.
 * The number of parameters is fixed (a resource's existence cannot wait for the script, which
 * waits for volume ids): parts past `n` hold `-`. `fetch-boot-ssm.py` reads them back at boot.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { gzip } from "./gzip";

/** Parts after the manifest. */
export const BOOT_PARTS = 6;
/** Characters per part: SSM's Standard tier takes values of at most 4 KB. */
export const PART_CHARS = 4096;
/** The value of a part the script does not need. */
export const UNUSED_PART = "-";

/** The manifest and the `BOOT_PARTS` parts of `script`. */
export function bootParts(script: string): { manifest: string; parts: string[] } {
  const text = Buffer.from(gzip(Buffer.from(script, "utf8"))).toString("base64");
  const used: string[] = [];
  for (let at = 0; at < text.length; at += PART_CHARS) used.push(text.slice(at, at + PART_CHARS));
  if (used.length > BOOT_PARTS) {
    throw new Error(`the boot script is ${text.length} characters gzipped and base64-encoded; the SSM parameters take at most ${BOOT_PARTS * PART_CHARS}`);
  }
  const sha256 = createHash("sha256").update(script, "utf8").digest("hex");
  const parts = [...used, ...Array.from({ length: BOOT_PARTS - used.length }, () => UNUSED_PART)];
  return { manifest: JSON.stringify({ sha256, parts: used.length }), parts };
}

/** The script back from the manifest and the parts (as the VM reads it); throws when they do not match. */
export function scriptFromParts(manifest: string, parts: readonly string[]): string {
  const { sha256, parts: count } = JSON.parse(manifest) as { sha256: string; parts: number };
  const script = gunzipSync(Buffer.from(parts.slice(0, count).join(""), "base64")).toString("utf8");
  if (createHash("sha256").update(script, "utf8").digest("hex") !== sha256) throw new Error("the boot parts do not match their manifest");
  return script;
}
