/**
 * Whether, and for how long, a configuration asks to keep looking for capacity: dstack's `retry`
 * (`true`: every event, for the server's default hour; `{on_events, duration}`: only when
 * `no-capacity` is among the events) or the legacy `retry_policy` of 0.18.2x. An AWS environment
 * with it launches through an EC2 Fleet over its ranked offers, and `dstack-pulumi up` tries the
 * next offers until `duration` runs out; without it `pulumi up` asks for one machine once.
 */
import type { DevEnvironmentSpec } from "../config/schema";

/** dstack's default `retry.duration` (the server's default: one hour), seconds. */
export const DEFAULT_RETRY_SECONDS = 3600;

/** How long to keep looking for capacity. */
export interface CapacityRetry {
  /** Seconds from the first attempt after which no new attempt starts. */
  durationSeconds: number;
  /** Where the setting comes from, for messages: `retry` or `retry_policy`. */
  field: "retry" | "retry_policy";
}

/** The configuration's capacity retry; null when it does not ask to retry on `no-capacity`. */
export function capacityRetry(spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">): CapacityRetry | null {
  const { retry } = spec;
  if (retry === true) return { durationSeconds: DEFAULT_RETRY_SECONDS, field: "retry" };
  if (retry !== null && retry !== false && typeof retry === "object") {
    if (!retry.on_events.includes("no-capacity")) return null;
    return { durationSeconds: retry.duration ?? DEFAULT_RETRY_SECONDS, field: "retry" };
  }
  // An explicit `retry: false` wins over the legacy field.
  if (retry === false) return null;
  const legacy = spec.retry_policy;
  if (legacy?.retry) return { durationSeconds: legacy.duration ?? DEFAULT_RETRY_SECONDS, field: "retry_policy" };
  return null;
}

/** `3600` -> `1h`, `5400` -> `1h30m`, `90` -> `1m30s`. */
export function formatSeconds(seconds: number): string {
  const parts: string[] = [];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round(seconds % 60);
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join("");
}
