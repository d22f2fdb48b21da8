/**
 * `pulumi up` in this folder deploys ./.dstack.yml (capacity-dev). Stack config: `sshPublicKey`
 * (default: ~/.ssh/id_ed25519.pub) and `allowedCidrs` (the networks that may reach SSH).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { DevEnvironment } from "pulumi-dstack";

const config = new pulumi.Config();
const env = new DevEnvironment("capacity-dev", {
  configPath: ".dstack.yml",
  sshPublicKey: config.get("sshPublicKey") ?? fs.readFileSync(`${os.homedir()}/.ssh/id_ed25519.pub`, "utf8"),
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
});

export const offer = env.offer;
export const pricePerHour = env.pricePerHour;
export const sshCommand = env.sshCommand;
export const sshConfig = env.sshConfig;
export const ideUrl = env.ideUrl;
