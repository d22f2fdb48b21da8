/**
 * What the configuration asks of a `DevEnvironment` besides the machine, under mocks: the
 * repository and its token (a secret in the cloud's store, only its place in the boot script),
 * ports forwarded by `sshConfig`, the container user, the configuration's tags, the capacity
 * reservation, a `working_dir` outside the repository and `files` refused, and a warning for each
 * field that has no effect here.
 */
import { strict as assert } from "node:assert";
import { deploy } from "../support/component-harness";
import { userDataText } from "./aws-build.test";

const BASE = "type: dev-environment\nname: box\nide: vscode\nresources:\n  cpu: 2\n  memory: 8GB\n";
const AWS = { backend: "aws" as const, region: "us-east-1", lockFile: "/nonexistent/x.lock.json" };
const GCP = { backend: "gcp" as const, region: "us-central1", lockFile: "/nonexistent/x.lock.json" };
const REPO = { url: "https://github.com/acme/research.git", branch: "main", hash: "4b9c2e1f0a7d3b5c6e8f9a0b1c2d3e4f5a6b7c8d" };
const TOKEN = "ghp_SENTINEL0123456789";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const plain = (value: unknown): any => JSON.parse(JSON.stringify(value));

describe("DevEnvironment: what the configuration asks besides the machine", () => {
  it("AWS: the repository's token is an SSM SecureString the role may read; the boot script knows only where it is", async () => {
    const d = await deploy("box", { config: BASE, ...AWS, repo: { ...REPO, token: TOKEN } });
    const parameter = plain(d.recorder.inputsOf("box-secret-repo-token"));
    assert.equal(parameter.name, "/dstack/dstack-test/test/box/repo-token");
    assert.equal(parameter.type, "SecureString");
    assert.equal(parameter.value.value, TOKEN);
    assert.ok(JSON.parse(String(d.recorder.inputsOf("box-policy").policy)).Statement[0].Resource.includes("arn:aws:ssm:::parameter/dstack/dstack-test/test/box/repo-token"));
    for (const registration of d.recorder.registrations) {
      if (registration.name === "box-secret-repo-token") continue;
      assert.ok(!JSON.stringify(registration.inputs).includes(TOKEN), `the token in ${registration.name}`);
    }
    const script = userDataText(d.recorder, "box-vm");
    assert.ok(!script.includes(TOKEN));
    assert.ok(script.includes("/dstack/dstack-test/test/box/repo-token"));
  });

  it("GCP: the repository's token is a Secret Manager secret the VM's account may read", async () => {
    const d = await deploy("box", { config: BASE, ...GCP, repo: { ...REPO, token: TOKEN } });
    assert.equal(plain(d.recorder.inputsOf("box-secret-repo-token")).secretId, "dstack-box-dstack-test-test-9d49ffaf-repo-token");
    assert.equal(plain(d.recorder.inputsOf("box-secret-repo-token-version")).secretData.value, TOKEN);
    const script = String((d.recorder.inputsOf("box-vm").metadata as Record<string, string>)["startup-script"]);
    assert.ok(!script.includes(TOKEN));
    assert.ok(script.includes("'dstack-box-dstack-test-test-9d49ffaf-repo-token'"));
  });

  it("ports: LocalForward lines in sshConfig, -L in sshCommand, the ports output; dstack's own range 10000..10999 is not forwarded", async () => {
    const d = await deploy("box", { config: `${BASE}ports:\n  - 8000\n  - "9090:8888"\n  - "*:6006"\n  - 10022\n`, ...AWS, noRepo: true });
    assert.deepEqual(d.outputs.ports, [{ local: 8000, container: 8000 }, { local: 9090, container: 8888 }, { local: 6006, container: 6006 }]);
    const config = await new Promise<string>((resolve) => d.env.sshConfig.apply(resolve));
    assert.deepEqual(config.split("\n").filter((line) => line.includes("LocalForward")), [
      "  LocalForward 8000 localhost:8000",
      "  LocalForward 9090 localhost:8888",
      "  LocalForward 6006 localhost:6006",
    ]);
    assert.equal(d.outputs.sshCommand, "ssh -J ubuntu@203.0.113.10 -p 10022 -o HostKeyAlias=box -L 8000:localhost:8000 -L 9090:localhost:8888 -L 6006:localhost:6006 root@localhost");
  });

  it("user: SSH logs in to the container as its name; a numeric id as the name the boot gives it", async () => {
    const named = await deploy("box", { config: `${BASE}user: ubuntu:ubuntu\n`, ...AWS, noRepo: true });
    assert.match(named.outputs.sshCommand, / ubuntu@localhost$/);
    const numeric = await deploy("box", { config: `${BASE}user: "1000:1000"\n`, ...AWS, noRepo: true });
    assert.match(numeric.outputs.sshCommand, / dstack@localhost$/);
  });

  it("tags: the configuration's tags on the cloud resources, the tags arg winning", async () => {
    const aws = await deploy("box", { config: `${BASE}tags:\n  team: research\n  cost-center: ml-1\n`, ...AWS, noRepo: true, tags: { team: "platform" } });
    assert.deepEqual(plain(aws.recorder.inputsOf("box-sg").tags), { team: "platform", "cost-center": "ml-1", Name: "box-sg", "dstack:run": "box" });
    const gcp = await deploy("box", { config: `${BASE}tags:\n  team: research\n`, ...GCP, noRepo: true });
    assert.deepEqual(plain(gcp.recorder.inputsOf("box-vm").labels), { owner: "dstack", dstack_name: "box", team: "research" });
  });

  it("reservation: an AWS capacity reservation in the launch template, a GCP reservation by name", async () => {
    const aws = await deploy("box", { config: `${BASE}reservation: cr-0123456789abcdef0\n`, ...AWS, noRepo: true });
    assert.deepEqual(plain(aws.recorder.inputsOf("box-lt").capacityReservationSpecification), { capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" } });
    const gcp = await deploy("box", { config: `${BASE}reservation: ml-reserved-a2\n`, ...GCP, noRepo: true });
    assert.deepEqual(plain(gcp.recorder.inputsOf("box-vm").reservationAffinity), {
      type: "SPECIFIC_RESERVATION", specificReservation: { key: "compute.googleapis.com/reservation-name", values: ["ml-reserved-a2"] },
    });
  });

  it("a warning for each field that has no effect here, naming it and why (retry has one: an EC2 Fleet, dstack-pulumi up)", async () => {
    const config = `${BASE}retry: true\ncreation_policy: reuse\nutilization_policy:\n  min_gpu_utilization: 10\n  time_window: 1h\nschedule:\n  cron: "0 8 * * *"\npriority: 10\nfleets: [my-fleet]\nidle_duration: 1h\n`;
    const d = await deploy("box", { config, ...AWS, noRepo: true });
    assert.equal(d.outputs.warnings.filter((warning) => warning.startsWith("retry")).length, 0, "a new AWS stack with retry launches through a fleet: nothing to warn");
    assert.deepEqual(d.outputs.warnings.filter((warning) => warning.includes("has no effect here")), [
      "creation_policy has no effect here: the environment creates its own VM: there is no pool or fleet of instances to reuse",
      "fleets has no effect here: the environment creates its own VM: there is no pool or fleet of instances to reuse",
      "idle_duration has no effect here: the VM is the environment's own and goes with it (pulumi destroy); inactivity_duration and max_duration power it off",
      "utilization_policy has no effect here: GPU utilization is not watched here: use inactivity_duration to power an idle VM off",
      "schedule has no effect here: runs are not scheduled here: the VM runs from pulumi up until it powers off or is destroyed",
      "priority has no effect here: there is no run queue here: pulumi up declares the VM at once",
    ]);
  });
});

describe("DevEnvironment: settings refused before anything is declared", () => {
  const refused: [string, string, string][] = [
    ["an absolute working_dir", "working_dir: /opt/app\n", 'box: working_dir "/opt/app": Working directory is outside of the repo: give a path relative to /workflow (the repository), such as "src"'],
    ["a working_dir that climbs out", "working_dir: ../elsewhere\n", 'box: working_dir "../elsewhere": Working directory is outside of the repo: give a path relative to /workflow (the repository), such as "src"'],
    ["files", "files:\n  - ./data.csv:/workflow/data.csv\n", "box: files: the boot cannot carry local files to the VM (its user data holds no secrets and EC2 takes 16 KB of it): commit them to the repository that /workflow gets, or put them on a volume"],
    ["an AWS reservation that is no capacity reservation", "reservation: my-reservation\n", 'box: reservation "my-reservation" is not an AWS capacity reservation (cr-0123456789abcdef0, or a resource group ARN)'],
  ];
  for (const [what, yaml, message] of refused) {
    it(what, async () => {
      if (what.startsWith("an AWS")) {
        const { deployRejected } = await import("../support/component-harness");
        const { error } = await deployRejected("box", { config: BASE + yaml, ...AWS, noRepo: true });
        assert.equal(error.message, message);
        return;
      }
      await assert.rejects(deploy("box", { config: BASE + yaml, ...AWS, noRepo: true }), { message });
    });
  }
});
