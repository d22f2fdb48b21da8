/**
 * The container image: the configuration's `image`, else dstack 0.18.2x's base image for the
 * Python version (`dstackai/base:py3.11-0.6-cuda-12.1`, `-devel` with `nvcc`), and the registry
 * an image name points at.
 */
import type { DevEnvironmentSpec } from "../config/schema";

/** The Python version when the configuration names none (dstack takes the CLI's own). */
export const DEFAULT_PYTHON = "3.11";
const BASE_IMAGE_VERSION = "0.6";

export function containerImage(spec: DevEnvironmentSpec): string {
  if (spec.image) return spec.image;
  if (spec.docker) return "dstackai/dind";
  return `dstackai/base:py${spec.python ?? DEFAULT_PYTHON}-${BASE_IMAGE_VERSION}-cuda-12.1${spec.nvcc ? "-devel" : ""}`;
}

/** The registry host of an image name (`ghcr.io/org/app:1` -> `ghcr.io`), or null for Docker Hub. */
export function registryOf(image: string): string | null {
  const slash = image.indexOf("/");
  if (slash < 0) return null;
  const first = image.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : null;
}
