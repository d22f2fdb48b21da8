/**
 * What the configuration asks of the environment besides the machine: the code for /workflow, the
 * cloud tags, the capacity reservation, who logs in to the container and which ports are forwarded,
 * and the warnings for fields that have no effect here. Checked when the component is declared:
 * a setting that cannot work (a `working_dir` outside the repository, `files`) is an error before
 * anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BootRepo } from "../bootstrap/types";
import type { DevEnvironmentSpec } from "../config/schema";
import type { DevEnvironmentArgs } from "./args";
import type { SecretValue } from "./cloud-plan";
import { portForwards, type ContainerAccess, type PortForward } from "./connection";
import { checkWorkingDir, noEffectWarnings } from "./field-effects";
import { resolveRepo } from "./repo-source";

export interface RunSettings {
  repo: Omit<BootRepo, "token"> | undefined;
  repoToken: SecretValue | undefined;
  /** The configuration's `tags` (the component adds the `tags` arg, which wins, once it is known). */
  tags: Record<string, string>;
  reservation: string | undefined;
  access: ContainerAccess;
  ports: PortForward[];
  warnings: string[];
}

/** dstack keeps container ports 10000..10999 for itself (the container's sshd is on 10022): not forwarded. */
const RESERVED = { first: 10000, last: 10999 };

/** The SSH user of the container: the name part of `user`; a numeric id logs in as the name the boot gives it. */
export function containerLogin(user: string | null): string | undefined {
  if (user === null) return undefined;
  const name = user.split(":")[0].trim();
  return /^\+?[0-9_]+$/.test(name) ? "dstack" : name;
}

export function runSettings(component: string, spec: DevEnvironmentSpec, args: DevEnvironmentArgs): RunSettings {
  checkWorkingDir(component, spec);
  if (spec.files.length > 0) {
    throw new Error(
      `${component}: files: the boot cannot carry local files to the VM (its user data holds no secrets and EC2 takes 16 KB of it): ` +
        "commit them to the repository that /workflow gets, or put them on a volume",
    );
  }
  const resolved = resolveRepo(component, spec, args);
  const warnings = [...resolved.warnings, ...noEffectWarnings(spec)];
  const token = resolved.token === undefined ? undefined : { key: "repo-token", value: pulumi.secret(resolved.token) };
  if (spec.single_branch === true && resolved.repo === undefined) warnings.push("single_branch has no effect here: /workflow gets no repository");
  const kept = spec.ports.filter((port) => port.container_port < RESERVED.first || port.container_port > RESERVED.last);
  const login = containerLogin(spec.user);
  return {
    repo: resolved.repo,
    repoToken: token,
    tags: { ...(spec.tags ?? {}) },
    reservation: spec.reservation ?? undefined,
    access: { ...(login === undefined ? {} : { user: login }), ports: kept },
    ports: portForwards(kept),
    warnings,
  };
}
