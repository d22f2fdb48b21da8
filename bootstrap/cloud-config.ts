/**
 * AWS user data: a cloud-config that installs the bootstrap script and a systemd unit that runs it
 * at this boot and at every later boot, first taking a changed bootstrap from the user data.
 */
import { stringify } from "yaml";
import { shellCode } from "./shell-files";

export const BOOTSTRAP_PATH = "/usr/local/lib/dstack-pulumi/bootstrap.sh";
export const BOOTSTRAP_UNIT = "dstack-bootstrap.service";
/** Takes a changed bootstrap from the user data at boot (cloud-init writes files at the first boot only). */
export const REFRESH_PATH = "/usr/local/lib/dstack-pulumi/refresh-user-data.sh";

/** The systemd unit that runs the bootstrap at every boot, after `refresh` (a command; a failure keeps the bootstrap there). */
export function bootstrapUnit(runName: string, refresh = `/bin/bash ${REFRESH_PATH}`): string {
  return [
    "[Unit]",
    `Description=dstack-pulumi bootstrap of the dev environment ${runName}`,
    "Wants=network-online.target",
    "After=network-online.target cloud-final.service",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStartPre=-${refresh}`,
    `ExecStart=/bin/bash ${BOOTSTRAP_PATH}`,
    "StandardOutput=journal+console",
    "StandardError=journal+console",
    "TimeoutStartSec=0",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The `#cloud-config` user data that runs `script` at every boot. */
export function renderCloudConfig(script: string, runName: string): string {
  const config = {
    write_files: [
      { path: BOOTSTRAP_PATH, owner: "root:root", permissions: "0700", content: script },
      { path: REFRESH_PATH, owner: "root:root", permissions: "0700", content: shellCode("refresh-user-data.sh") },
      { path: `/etc/systemd/system/${BOOTSTRAP_UNIT}`, owner: "root:root", permissions: "0644", content: bootstrapUnit(runName) },
    ],
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", BOOTSTRAP_UNIT],
      ["systemctl", "start", "--no-block", BOOTSTRAP_UNIT],
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0, blockQuote: "literal" })}`;
}
