/**
 * The `docker run` arguments the bootstrap gives a dev-environment container (after its name and
 * label), for the execution tests: the shim's entrypoint and user, the env, the tmpfs, the
 * secrets file and host keys mounted from the VM, the volumes and the folders of the VM (under the
 * sandbox's root), the working directory, the image and the container's init.
 */
export interface RunArgs {
  /** Flags after the entrypoint and user: `--gpus all`, `--privileged`, `--shm-size ...`. */
  flags?: string[];
  /** `NAME=value` of each `-e`, in order. */
  env: string[];
  /** The VM has secret env values: their tmpfs file is mounted. */
  secrets?: boolean;
  /** Network and instance volumes: `HOST_PATH:PATH`, the host path under the sandbox's root. */
  volumes?: string[];
  workingDir?: string;
  image: string;
}

export function runArgs(root: string, { flags = [], env, secrets = false, volumes = [], workingDir = "/workflow", image }: RunArgs): string[] {
  return [
    "--restart", "no", "--network", "host", "--entrypoint", "/bin/sh", "--user", "0", ...flags,
    ...env.flatMap((variable) => ["-e", variable]),
    "--tmpfs", "/run/dstack-pulumi:mode=0755",
    ...(secrets ? ["-v", `${root}/run/dstack-pulumi/secrets.env:/run/dstack-pulumi/secrets.env:ro`] : []),
    "-v", `${root}/var/lib/dstack-pulumi/ssh-host-keys:/run/dstack-pulumi/host-keys:ro`,
    ...volumes.flatMap((volume) => ["-v", `${root}${volume}`]),
    "-v", `${root}/var/lib/dstack-pulumi/container:/dstack-pulumi:ro`,
    "-v", `${root}/var/log/dstack-pulumi:/var/log/dstack-pulumi`,
    "-v", `${root}/var/lib/dstack-pulumi/workflow:/workflow`,
    "-w", workingDir, image, "/dstack-pulumi/init-container.sh",
  ];
}
