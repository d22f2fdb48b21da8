/**
 * When a dev environment powers its VM off by itself, as dstack stops it: after `max_duration` of
 * uptime (seed dstack's default for dev environments: 6 hours) or `inactivity_duration` without an
 * SSH connection. A power-off is a pause: the disks stay, and the next `pulumi up --refresh`
 * starts the VM again.
 */
import type { DevEnvironmentSpec } from "../config/schema";

/** seed dstack (0.18.2x) stops a dev environment after 6 hours unless `max_duration` says otherwise. */
export const DEFAULT_MAX_DURATION_SECONDS = 6 * 3600;

/** Seconds; 0 = no such limit. */
export interface PowerOffLimits {
  inactivity: number;
  max: number;
}

/** The limits of a configuration (`max_duration: off` or 0: none; unset: 6 hours). */
export function powerOffLimits(spec: Pick<DevEnvironmentSpec, "max_duration" | "inactivity_duration">): PowerOffLimits {
  const { max_duration: max, inactivity_duration: inactivity } = spec;
  return {
    inactivity: inactivity ?? 0,
    max: max === "off" || max === 0 ? 0 : (max ?? DEFAULT_MAX_DURATION_SECONDS),
  };
}

/** `6h`, `90m`, `1h30m`, `45s`. */
export function describeSeconds(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", rest ? `${rest}s` : ""].filter(Boolean);
  return parts.length > 0 ? parts.join("") : "0s";
}

/** In words: `after 6h of uptime (max_duration) or 30m without an SSH connection (inactivity_duration)`; null when never. */
export function describePowerOff(limits: PowerOffLimits): string | null {
  const reasons: string[] = [];
  if (limits.max > 0) reasons.push(`after ${describeSeconds(limits.max)} of uptime (max_duration)`);
  if (limits.inactivity > 0) reasons.push(`after ${describeSeconds(limits.inactivity)} without an SSH connection (inactivity_duration)`);
  return reasons.length > 0 ? reasons.join(" or ") : null;
}
