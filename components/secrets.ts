/**
 * The secrets of an environment: env variables named without a value (`- HF_TOKEN`) take their
 * value from the component's `env` arg, else from the environment of the process (as dstack takes
 * it from the CLI's); values given in `env` are secrets too; the registry password comes from the
 * `registryPassword` arg, a `${{ env.NAME }}` reference, or the file. All are Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { isEnvPlaceholder } from "../config/env";
import type { DevEnvironmentSpec } from "../config/schema";
import type { SecretValue } from "./cloud-plan";

export interface SecretArgs {
  env?: Record<string, pulumi.Input<string>>;
  registryPassword?: pulumi.Input<string>;
}

/** A configuration whose secrets cannot all be found. */
export class MissingSecretError extends Error {
  override readonly name = "MissingSecretError";
}

const REFERENCE = /^\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

function lookup(name: string, args: SecretArgs, processEnv: NodeJS.ProcessEnv): pulumi.Input<string> | undefined {
  if (args.env && Object.hasOwn(args.env, name)) return args.env[name];
  return processEnv[name];
}

export function collectSecrets(spec: DevEnvironmentSpec, args: SecretArgs, processEnv: NodeJS.ProcessEnv = process.env): { env: SecretValue[]; registryPassword: SecretValue | undefined } {
  if (pulumi.Output.isInstance(args.env) || (args.env !== undefined && (typeof args.env !== "object" || Array.isArray(args.env)))) {
    throw new MissingSecretError("env must be a map whose names are known when the program runs (each value may be a secret or an output), not an output or a secret as a whole: make each value secret instead");
  }
  const env: SecretValue[] = [];
  const missing: string[] = [];
  for (const [name, value] of Object.entries(spec.env)) {
    const given = args.env && Object.hasOwn(args.env, name) ? args.env[name] : undefined;
    if (given !== undefined) env.push({ key: name, value: pulumi.secret(given) });
    else if (isEnvPlaceholder(value)) {
      const fromProcess = processEnv[name];
      if (fromProcess === undefined) missing.push(name);
      else env.push({ key: name, value: pulumi.secret(fromProcess) });
    }
  }
  for (const name of Object.keys(args.env ?? {})) {
    if (!Object.hasOwn(spec.env, name)) missing.push(`${name} (given in the env arg but not declared in the configuration's env)`);
  }
  let registryPassword: SecretValue | undefined;
  if (spec.registry_auth) {
    const reference = REFERENCE.exec(spec.registry_auth.password.trim());
    const value = args.registryPassword ?? (reference ? lookup(reference[1], args, processEnv) : spec.registry_auth.password);
    if (value === undefined) missing.push(`${reference![1]} (registry_auth.password)`);
    else registryPassword = { key: "registry-password", value: pulumi.secret(value) };
  }
  if (missing.length > 0) {
    throw new MissingSecretError(`no value for ${missing.join(", ")}: give it in the component's env arg or in the environment of the process that runs Pulumi`);
  }
  env.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { env, registryPassword };
}
