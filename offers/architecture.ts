/**
 * What runs on Arm. dstack's default images (`dstackai/base`, and `dstackai/dind` for `docker:
 * true`) are x86 only: dstack forces x86 when there is no `image`, and its server refuses
 * `cpu: arm` without an image or with `docker: true`. So does this project, before any offer is
 * chosen, rather than booting an Arm VM whose container cannot start.
 */
import type { DevEnvironmentSpec } from "../config/schema";
import type { Requirements } from "./requirements";

/** The configuration asks for something no offer can run. */
export class RefusedConfigurationError extends Error {
  override readonly name = "RefusedConfigurationError";
}

/** Throws when `cpu: arm` cannot run the configuration's container. */
export function checkArchitecture(spec: Pick<DevEnvironmentSpec, "image" | "docker">, requirements: Pick<Requirements, "arch">): void {
  if (requirements.arch !== "arm") return;
  if (spec.docker === true) {
    throw new RefusedConfigurationError("resources.cpu: arm cannot run docker: true (dstack's dstackai/dind image is x86 only); drop arm or docker");
  }
  if (spec.image === null || spec.image === undefined || spec.image === "") {
    throw new RefusedConfigurationError("resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm");
  }
}
