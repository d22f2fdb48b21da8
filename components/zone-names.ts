/**
 * Which region a zone name belongs to, for both clouds: AWS standard zones are the region and a
 * letter (`us-east-1a`), Local Zones the region and a suffix ending in a letter (`us-east-1-bos-1a`),
 * Wavelength Zones the region and a `-wlN-<metro>-wlz-N` suffix (`us-east-1-wl1-bos-wlz-1`);
 * GCP zones are the region, a hyphen and a letter (`us-central1-a`).
 */

/** True when `zone` is a standard AWS availability zone of `region` (`us-east-1a`). */
export function isStandardAwsZone(zone: string, region: string): boolean {
  return new RegExp(`^${region.replace(/[.-]/g, "\\$&")}[a-z]$`).test(zone);
}

/** True when `zone` is a zone of `region` (`us-east-1a`, `us-east-1-bos-1a` in `us-east-1`; `us-central1-a` in `us-central1`). */
export function isZoneOf(zone: string, region: string): boolean {
  return zone.startsWith(`${region}-`) || isStandardAwsZone(zone, region);
}

/**
 * The backend and region of a zone name: GCP `us-central1-a` -> gcp us-central1; AWS standard
 * `us-east-1a` -> aws us-east-1; AWS Local Zones `us-east-1-bos-1a` and Wavelength Zones
 * `us-east-1-wl1-bos-wlz-1` -> aws us-east-1 (their parent region). Undefined for anything else.
 */
export function zoneLocation(zone: string): { backend: "aws" | "gcp"; region: string } | undefined {
  const gcp = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone);
  if (gcp) return { backend: "gcp", region: gcp[1] };
  const aws = /^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-[a-z0-9-]*[a-z0-9][a-z]|-wl\d+-[a-z0-9]+-wlz-\d+)$/.exec(zone);
  return aws ? { backend: "aws", region: aws[1] } : undefined;
}
