/**
 * GCP secrets under Pulumi's mock runtime: Secret Manager secrets and versions, access for the VM's
 * service account on each secret alone, and secret values nowhere but in the versions.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { MockRecorder } from "../support/pulumi-mocks";
import { built, gcpBuilder, GCP_GET_INSTANCE, gcpPlan, plainInputs, T4_YAML, type BuildGcp } from "./gcp-support";

const YAML = [
  "type: dev-environment", "name: t4-box", "ide: vscode", "image: ghcr.io/acme/research:2024.06",
  "registry_auth:", "  username: acme-bot", "  password: ${{ env.GHCR_TOKEN }}",
  "env:", "  - HF_TOKEN", "  - GHCR_TOKEN", "resources:", "  gpu: T4", "",
].join("\n");
const SENTINELS = { GHCR_TOKEN: "SENTINEL-ghcr-7f3a", HF_TOKEN: "SENTINEL-hf-91c2", registry: "SENTINEL-registry-44de" };

describe("GCP builder: secrets", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  const secretPlan = (project?: string) =>
    gcpPlan({
      name: "t4", yaml: YAML, instanceType: "n1-standard-4", region: "us-central1",
      secretEnv: [
        { key: "GHCR_TOKEN", value: pulumi.secret(SENTINELS.GHCR_TOKEN) },
        { key: "HF_TOKEN", value: pulumi.secret(SENTINELS.HF_TOKEN) },
      ],
      registryPassword: { key: "registry-password", value: pulumi.secret(SENTINELS.registry) },
      ...(project ? { overrides: { gcp: { project } } } : {}),
    });

  it("declares a secret, a version and an accessor binding per secret, and the VM waits for them", async () => {
    recorder.onInvoke("gcp:organizations/getClientConfig:getClientConfig", () => ({ id: "c", project: "provider-project", region: "", zone: "", accessToken: "" }));
    const { plan, children } = secretPlan();
    await built(() => buildGcp(plan));
    assert.deepEqual(recorder.resourceList(), [
      "gcp:compute/firewall:Firewall t4-fw",
      "gcp:compute/instance:Instance t4-vm",
      "gcp:secretmanager/secret:Secret t4-secret-ghcr-token",
      "gcp:secretmanager/secret:Secret t4-secret-hf-token",
      "gcp:secretmanager/secret:Secret t4-secret-registry-password",
      "gcp:secretmanager/secretIamMember:SecretIamMember t4-secret-ghcr-token-access",
      "gcp:secretmanager/secretIamMember:SecretIamMember t4-secret-hf-token-access",
      "gcp:secretmanager/secretIamMember:SecretIamMember t4-secret-registry-password-access",
      "gcp:secretmanager/secretVersion:SecretVersion t4-secret-ghcr-token-version",
      "gcp:secretmanager/secretVersion:SecretVersion t4-secret-hf-token-version",
      "gcp:secretmanager/secretVersion:SecretVersion t4-secret-registry-password-version",
      "gcp:serviceaccount/account:Account t4-sa",
    ]);
    assert.deepEqual(recorder.invokes.map((i) => i.token), ["gcp:organizations/getClientConfig:getClientConfig", GCP_GET_INSTANCE]);
    const labels = { owner: "dstack", dstack_name: "t4-box" };
    assert.deepEqual(plainInputs(recorder, "t4-secret-hf-token"), { secretId: "dstack-t4-dstack-test-test-0ef59e3e-env-HF_TOKEN", replication: { auto: {} }, labels });
    assert.deepEqual(plainInputs(recorder, "t4-secret-registry-password"), { secretId: "dstack-t4-dstack-test-test-0ef59e3e-registry-password", replication: { auto: {} }, labels });
    assert.deepEqual(plainInputs(recorder, "t4-secret-hf-token-access"), {
      secretId: "t4-secret-hf-token-id",
      role: "roles/secretmanager.secretAccessor",
      member: "serviceAccount:dstack-t4-dstack-test-0ef59e3e@project.iam.gserviceaccount.com",
    });
    const waitsFor = (children.get("t4-vm")?.dependsOn ?? []) as pulumi.Resource[];
    const names = await Promise.all(waitsFor.map((resource) => new Promise<string>((resolve) => resource.urn.apply((urn) => resolve(urn.split("::").pop()!)))));
    assert.deepEqual(names.sort(), [
      "t4-secret-ghcr-token-access", "t4-secret-ghcr-token-version",
      "t4-secret-hf-token-access", "t4-secret-hf-token-version",
      "t4-secret-registry-password-access", "t4-secret-registry-password-version",
    ]);
    const script = (recorder.inputsOf("t4-vm").metadata as Record<string, string>)["startup-script"];
    assert.match(script, /fetch_secret_gcp 'provider-project' 'dstack-t4-dstack-test-test-0ef59e3e-env-HF_TOKEN'/);
    assert.match(script, /fetch_secret_gcp 'provider-project' 'dstack-t4-dstack-test-test-0ef59e3e-registry-password'/);
  });

  it("puts the values only in the versions' secretData, which arrives secret-wrapped under mocks", async () => {
    const { plan } = secretPlan("test-project");
    await built(() => buildGcp(plan));
    assert.deepEqual(recorder.invokes.map((i) => i.token), [GCP_GET_INSTANCE], "a named project needs no lookup (the VM is read once built)");
    const wrapped = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
    assert.deepEqual(recorder.inputsOf("t4-secret-hf-token-version"), { secret: "t4-secret-hf-token-id", secretData: wrapped(SENTINELS.HF_TOKEN) });
    assert.deepEqual(recorder.inputsOf("t4-secret-registry-password-version").secretData, wrapped(SENTINELS.registry));
    const elsewhere = JSON.stringify([
      recorder.registrations.map((r) => (r.type.endsWith("SecretVersion") ? { ...r.inputs, secretData: null } : r.inputs)),
      recorder.invokes,
    ]);
    for (const sentinel of Object.values(SENTINELS)) assert.ok(!elsewhere.includes(sentinel), `${sentinel} leaked`);
    const script = (recorder.inputsOf("t4-vm").metadata as Record<string, string>)["startup-script"];
    assert.match(script, /fetch_secret_gcp 'test-project' 'dstack-t4-dstack-test-test-0ef59e3e-env-GHCR_TOKEN'/);
    assert.equal(recorder.inputsOf("t4-secret-hf-token").project, "test-project");
  });

  it("refuses two keys that would give the same child name", async () => {
    const { plan } = gcpPlan({
      name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1",
      secretEnv: [{ key: "HF_TOKEN", value: pulumi.secret("a") }, { key: "hf-token", value: pulumi.secret("b") }],
      overrides: { gcp: { project: "p" } },
    });
    await assert.rejects(buildGcp(plan), /"HF_TOKEN" and "hf-token" would both be named t4-secret-hf-token/);
  });
});
