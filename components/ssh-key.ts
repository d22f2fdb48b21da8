/**
 * The `sshPublicKey` arg: a string, or an output (a `tls.PrivateKey`'s `publicKeyOpenssh`, a
 * stack reference). A string is checked when the component is declared; an output once it
 * resolves, which in an update is before anything is built from it. Either way the error names the
 * arg and says what arrived.
 */
import * as pulumi from "@pulumi/pulumi";
import { origin } from "./known-inputs";

/** The key as the component reads it. */
export interface SshKeyArg {
  /** The trimmed key, when it was given as a string. */
  known: string | undefined;
  /** The key as given, when it was an output (checked by `checkedSshKey` once it is known). */
  pending: pulumi.Output<unknown> | undefined;
}

function problem(component: string, what: string): Error {
  return new Error(`${component}: sshPublicKey is required: your SSH public key, one line (such as the contents of ~/.ssh/id_ed25519.pub)${what}`);
}

/** The key checked and trimmed: one non-empty line. `fromOutput` says where it came from in the error. */
export function checkedSshKey(component: string, value: unknown, fromOutput: boolean): string {
  const got = origin(fromOutput);
  if (typeof value !== "string") {
    if ((value === undefined || value === null) && !fromOutput) throw problem(component, "");
    throw problem(component, `; ${got} ${value === undefined || value === null ? String(value) : `a ${typeof value}`}`);
  }
  const key = value.trim();
  if (key === "") throw problem(component, fromOutput ? `; ${got} an empty string` : "");
  if (/[\r\n]/.test(key)) throw problem(component, `; ${got} ${key.split(/\r?\n/).length} lines`);
  return key;
}

/** Reads `sshPublicKey`; a missing or malformed plain value throws now. */
export function sshKeyOf(component: string, given: pulumi.Input<string> | undefined): SshKeyArg {
  if (pulumi.Output.isInstance(given) || given instanceof Promise) return { known: undefined, pending: pulumi.output(given) };
  return { known: checkedSshKey(component, given, false), pending: undefined };
}
