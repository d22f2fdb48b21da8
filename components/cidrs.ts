/**
 * `allowedCidrs`: each an IPv4 or IPv6 network in CIDR form (`203.0.113.4/32`, `2001:db8::/48`);
 * anything else is refused before a firewall rule is declared with it. A `/0` prefix, of either
 * family and whatever its address (`10.0.0.0/0` too), is every address of that family.
 */
import { isIP } from "node:net";
import * as pulumi from "@pulumi/pulumi";

export class InvalidCidrError extends Error {
  override readonly name = "InvalidCidrError";
}

export function checkCidrs(cidrs: readonly string[]): string[] {
  const bad = cidrs.filter((cidr) => {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    if (!match) return true;
    const version = isIP(match[1]);
    const bits = Number(match[2]);
    return version === 0 || bits > (version === 4 ? 32 : 128);
  });
  if (bad.length > 0) {
    throw new InvalidCidrError(`allowedCidrs: ${bad.map((cidr) => JSON.stringify(cidr)).join(", ")} ${bad.length === 1 ? "is not a network" : "are not networks"} in CIDR form, e.g. "203.0.113.4/32" (one address) or "2001:db8::/48"`);
  }
  return cidrs.map((cidr) => cidr.trim());
}

/** The allowed CIDRs split by family (IPv6 ranges contain `:`): rules that cannot mix them take one family each. */
export function cidrFamilies(cidrs: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  return { ipv4: cidrs.filter((cidr) => !cidr.includes(":")), ipv6: cidrs.filter((cidr) => cidr.includes(":")) };
}

/** The CIDRs that admit every address of their family (a `/0` prefix). */
export function worldOpenCidrs(cidrs: readonly string[]): string[] {
  return cidrs.filter((cidr) => /\/0+$/.test(cidr));
}

/** The `allowedCidrs` arg: checked now when it is plain strings, else once its outputs are known. */
export interface AllowedCidrs {
  /** The list, when every item was a plain string. */
  known: string[] | undefined;
  /** The list as given, when it holds outputs (checked by `checkedOutputCidrs` once known). */
  pending: pulumi.Output<unknown> | undefined;
}

/** Reads `allowedCidrs` (default: the world). An invalid plain CIDR throws now. */
export function allowedCidrsOf(given: pulumi.Input<pulumi.Input<string>[]> | undefined): AllowedCidrs {
  const list = given ?? ["0.0.0.0/0"];
  if (Array.isArray(list) && list.every((item) => typeof item === "string")) return { known: checkCidrs(list as string[]), pending: undefined };
  if (Array.isArray(list) || pulumi.Output.isInstance(list) || list instanceof Promise) return { known: undefined, pending: pulumi.output(list) };
  throw new InvalidCidrError(`allowedCidrs must be a list of networks in CIDR form (or outputs of them), not ${list === null ? "null" : `a ${typeof list}`}`);
}

/** The resolved value of outputs given in `allowedCidrs`, checked. */
export function checkedOutputCidrs(value: unknown): string[] {
  if (!Array.isArray(value)) throw new InvalidCidrError(`allowedCidrs: the output given resolved to ${value === null ? "null" : `a ${typeof value}`}, not a list of networks in CIDR form`);
  const bad = value.filter((item) => typeof item !== "string");
  if (bad.length > 0) throw new InvalidCidrError(`allowedCidrs: an output resolved to ${bad.map((item) => JSON.stringify(item) ?? String(item)).join(", ")}, not a network in CIDR form`);
  return checkCidrs(value as string[]);
}

/** The warning for a world-open list; null when it is not open to the world. */
export function worldOpenWarning(cidrs: readonly string[]): string | null {
  const open = worldOpenCidrs(cidrs);
  return open.length > 0 ? `SSH is open to the world (allowedCidrs ${open.join(", ")}): give allowedCidrs to narrow it` : null;
}
