/**
 * Rules that tie fields together (dstack's validators and the checks its CLI makes before
 * submitting a run). They see only the fields that were read without errors.
 */
import { GrammarError } from "./coerce";
import type { EnvValue } from "./env";
import { requestsAmd } from "./gpu-vendor";
import { envReferences } from "./interpolation";
import type { RegistryAuth } from "./run-fields";
import type { DevEnvironmentSpec } from "./schema";

const WINDSURF_VERSION = /^.+@[a-f0-9]+$/;

/** True when a field was read (absent from a partial spec when it failed). */
function ok<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** `${{ env.NAME }}` in registry_auth must parse and name a variable of `env`. */
function registryAuthReferences(auth: RegistryAuth, env: Record<string, EnvValue> | null): GrammarError[] {
  const errors: GrammarError[] = [];
  for (const key of ["username", "password"] as const) {
    try {
      for (const name of envReferences(auth[key])) {
        if (env && !Object.prototype.hasOwnProperty.call(env, name)) {
          throw new GrammarError(`\${{ env.${name} }} refers to a variable that env does not define`, "invalid_value", [], `Add "${name}" to env (a bare "- ${name}" takes it from the environment at deploy time)`);
        }
      }
    } catch (error) {
      if (!(error instanceof GrammarError)) throw error;
      errors.push(error.under("registry_auth", key));
    }
  }
  return errors;
}

/** Every cross-field problem of a (possibly partial) configuration. */
export function checkCrossFieldRules(spec: Partial<DevEnvironmentSpec>, raw: Record<string, unknown>): GrammarError[] {
  const errors: GrammarError[] = [];
  const image = ok(spec.image) ? spec.image : null;
  if (ok(spec.python) && spec.python !== null && image) {
    errors.push(new GrammarError("image and python are mutually exclusive: python selects dstack's base image; remove one of them", "conflict", ["python"]));
  }
  if (raw.docker === true) {
    const conflicts = [
      image ? "image" : null,
      ok(spec.python) && spec.python !== null ? "python" : null,
      ok(spec.nvcc) && spec.nvcc ? "nvcc" : null,
    ].filter((name): name is string => name !== null);
    for (const name of conflicts) {
      errors.push(new GrammarError(`${name} and docker are mutually exclusive: docker: true runs dstack's Docker-in-Docker image`, "conflict", ["docker"]));
    }
  }
  if (ok(spec.version) && spec.version && ok(spec.ide)) {
    if (spec.ide === null) {
      errors.push(new GrammarError("version requires ide: set ide (vscode, cursor, windsurf or zed) or remove version", "conflict", ["version"]));
    } else if (spec.ide === "windsurf" && !WINDSURF_VERSION.test(spec.version)) {
      errors.push(new GrammarError(`invalid Windsurf version "${spec.version}": expected version@commit, e.g. 1.106.0@8951cd3ad688e789573d7f51750d67ae4a0bea7d`, "invalid_value", ["version"]));
    }
  }
  if (ok(spec.dstack) && spec.dstack && ok(spec.inactivity_duration) && spec.inactivity_duration !== null) {
    errors.push(new GrammarError("dstack: true cannot be combined with inactivity_duration", "conflict", ["dstack"]));
  }
  if (ok(spec.registry_auth) && spec.registry_auth) {
    errors.push(...registryAuthReferences(spec.registry_auth, ok(spec.env) ? spec.env : null));
  }
  if (ok(spec.resources) && ok(spec.image) && !image && requestsAmd(spec.resources.gpu)) {
    errors.push(new GrammarError("image is required when resources.gpu asks for AMD GPUs: dstack's base image supports NVIDIA only", "missing_field", ["resources", "gpu"]));
  }
  return errors;
}
