/**
 * The user data of a VM that an EC2 Fleet launches: the launch template's, so it must not change
 * when the boot script does (a new template version is a new input of the fleet, which an instant
 * fleet cannot take in place). It holds no bootstrap: a cloud-config that installs a fetcher
 * (`fetch-boot-ssm.py`) and the bootstrap's systemd unit, which at every boot first takes the
 * current bootstrap from SSM Parameter Store (`<prefix>/boot/0..`, see boot-parts.ts), then runs it.
 * It depends on the region, the parameters' prefix and the run name only.
 */
import { stringify } from "yaml";
import { BOOTSTRAP_UNIT, bootstrapUnit } from "./cloud-config";
import { shellCode } from "./shell-files";
import { shellQuote } from "./shell-quote";

export const FETCH_PATH = "/usr/local/lib/dstack-pulumi/fetch-boot-ssm.py";

/** The `#cloud-config` of a fleet's VM: fetch the bootstrap from SSM at every boot, then run it. */
export function renderFleetCloudConfig(runName: string, region: string, prefix: string): string {
  const fetch = `/usr/bin/python3 ${FETCH_PATH} ${shellQuote(region)} ${shellQuote(prefix)}`;
  const config = {
    write_files: [
      { path: FETCH_PATH, owner: "root:root", permissions: "0700", content: shellCode("fetch-boot-ssm.py") },
      { path: `/etc/systemd/system/${BOOTSTRAP_UNIT}`, owner: "root:root", permissions: "0644", content: bootstrapUnit(runName, fetch) },
    ],
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", BOOTSTRAP_UNIT],
      ["systemctl", "start", "--no-block", BOOTSTRAP_UNIT],
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0, blockQuote: "literal" })}`;
}
