/**
 * Physical names across stacks: two processes (two stacks of one project) deploy environments with
 * the same run name, secrets, volumes and IPv4 + IPv6 CIDRs on AWS and GCP; every physical name a
 * component sets (SSM paths, secret ids, service account, network tags, firewall rules, disk
 * names, volume marks) differs between them, and no GCP firewall rule mixes address families.
 * Also: what counts as SSH open to the world.
 */
import { strict as assert } from "node:assert";
import { checkCidrs, worldOpenCidrs } from "../../components/cidrs";
import { deploy } from "../support/component-harness";
import { inFreshProcess } from "../support/fresh-process";

interface Names {
  names: string[];
  families: string[][];
}

/** The physical names the components set in a stack `stack`, and each GCP firewall rule's source ranges. */
function physicalNames(stack: string): Names {
  return inFreshProcess<Names>(`
    const { DevEnvironment } = require(ROOT + "/dist/components/dev-environment.js");
    const { SSH_KEY } = require(ROOT + "/dist/test/support/bootstrap-scenarios.js");
    const config = "type: dev-environment\\nname: shared-run\\nide: vscode\\nresources:\\n  gpu: T4\\nenv:\\n  - HF_TOKEN\\nvolumes:\\n  - data:/data\\n";
    const common = { config, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32", "2001:db8::/48"], env: { HF_TOKEN: "x" } };
    const aws = new DevEnvironment("box", { ...common, backend: "aws", region: "us-east-1" });
    const gcp = new DevEnvironment("box-gcp", { ...common, runName: "shared-run", backend: "gcp", region: "us-central1", instanceType: "n1-standard-4" });
    await new Promise((resolve) => pulumi.all([aws.instanceId, gcp.instanceId]).apply(resolve));
    await pulumi.runtime.waitForRPCs();
    const names = [];
    const families = [];
    for (const { type, inputs } of recorder.registrations) {
      if (type === "aws:ssm/parameter:Parameter") names.push("ssm " + inputs.name);
      if (type === "aws:ebs/volume:Volume") names.push("ebs scope " + inputs.tags["dstack:scope"], "ebs owner " + inputs.tags["dstack:owner"]);
      if (type === "gcp:secretmanager/secret:Secret") names.push("secret " + inputs.secretId);
      if (type === "gcp:serviceaccount/account:Account") names.push("account " + inputs.accountId);
      if (type === "gcp:compute/instance:Instance") names.push(...inputs.tags.map((tag) => "tag " + tag));
      if (type === "gcp:compute/firewall:Firewall") {
        names.push("firewall " + inputs.name, ...inputs.targetTags.map((tag) => "firewall target " + tag));
        families.push(inputs.sourceRanges);
      }
      if (type === "gcp:compute/disk:Disk") names.push("disk " + inputs.name, "disk scope " + inputs.labels.dstack_scope, "disk owner " + inputs.labels.dstack_pulumi_owner);
    }
    return { names: names.sort(), families };`, { stack });
}

describe("physical names of two stacks with the same run name", () => {
  let dev: Names;
  let prod: Names;
  before(() => {
    dev = physicalNames("dev");
    prod = physicalNames("prod");
  });

  it("every kind of physical name is there, with the project and stack in it", () => {
    const kinds = (names: string[]) => [...new Set(names.map((name) => name.split(" ").slice(0, -1).join(" ")))].sort();
    assert.deepEqual(kinds(dev.names), [
      "account", "disk", "disk owner", "disk scope", "ebs owner", "ebs scope", "firewall", "firewall target", "secret", "ssm", "tag",
    ]);
    assert.ok(dev.names.includes("ssm /dstack/p/dev/box/env/HF_TOKEN"), dev.names.join("\n"));
    assert.ok(dev.names.includes("ebs scope p/dev"));
    assert.ok(dev.names.includes("ebs owner p/dev/box"));
    for (const name of dev.names.filter((entry) => /^(account|firewall|tag|secret) /.test(entry))) assert.match(name, /box-gcp-p-dev|box-gcp-p-d/, name);
  });

  it("share no name: the firewall rules of one stack target only its own VM's tag", () => {
    const shared = dev.names.filter((name) => prod.names.includes(name));
    assert.deepEqual(shared, []);
    const tag = (names: string[]) => names.find((name) => name.startsWith("tag "))!.slice(4);
    assert.ok(dev.names.includes(`firewall target ${tag(dev.names)}`));
    assert.ok(!prod.names.includes(`firewall target ${tag(dev.names)}`));
  });

  it("no GCP firewall rule mixes IPv4 and IPv6 ranges", () => {
    assert.deepEqual(dev.families, [["203.0.113.4/32"], ["2001:db8::/48"]]);
  });
});

describe("SSH open to the world", () => {
  it("is any /0 prefix, IPv4 or IPv6, whatever the address", () => {
    assert.deepEqual(worldOpenCidrs(checkCidrs(["0.0.0.0/0", "10.0.0.0/0", "::/0", "2001:db8::/0", "10.0.0.0/8", "203.0.113.4/32", "::/1"])), [
      "0.0.0.0/0", "10.0.0.0/0", "::/0", "2001:db8::/0",
    ]);
  });

  it("warns with the CIDRs that open it", async () => {
    const d = await deploy("open", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: "/nonexistent/x.lock.json", allowedCidrs: ["::/0", "10.0.0.0/0", "203.0.113.4/32"] });
    assert.ok(d.outputs.warnings.includes("SSH is open to the world (allowedCidrs ::/0, 10.0.0.0/0): give allowedCidrs to narrow it"), d.outputs.warnings.join("\n"));
    const narrow = await deploy("open", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: "/nonexistent/x.lock.json", allowedCidrs: ["2001:db8::/48"] });
    assert.deepEqual(narrow.outputs.warnings.filter((warning) => warning.startsWith("SSH is open")), []);
  });
});
