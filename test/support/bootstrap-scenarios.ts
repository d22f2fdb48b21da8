/**
 * The bootstrap scenarios the goldens, the linters and the execution tests share: a configuration,
 * an offer resolved from the bundled catalog, and what the component would decide (run name, key,
 * attached volumes, secret references).
 */
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import type { BootstrapInput } from "../../bootstrap/types";

export const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDstackPulumiTestKeyDstackPulumiTestKey0 dev@example";

let index: OfferIndex | undefined;

function offerFor(yaml: string, instanceType: string, region: string) {
  index ??= new OfferIndex(loadBundledCatalog());
  const spec = parseConfig(yaml);
  const offer = resolveOffers(spec, index, { instanceTypes: [instanceType], regions: [region], limit: 1 }).offers[0];
  if (!offer) throw new Error(`no offer ${instanceType} in ${region} for the scenario`);
  return { spec, offer };
}

export interface Scenario {
  name: string;
  input: BootstrapInput;
}

export function scenarios(): Scenario[] {
  const awsCpu = offerFor("type: dev-environment\nname: cpu-box\nide: vscode\npython: '3.12'\nresources:\n  cpu: 4..8\n  memory: 16GB..\n", "m7i.xlarge", "us-east-1");
  const awsGpu = offerFor(
    [
      "type: dev-environment", "name: gpu-spot", "ide: cursor", "version: 0.45.11", "spot_policy: spot", "inactivity_duration: 2h", "max_duration: 8h",
      "env:", "  - HF_HOME=/data/hf", "init:", "  - pip install -U transformers", "  - printf '%s\\n' \"it's ready\"",
      "resources:", "  gpu: A10G", "  shm_size: 16GB", "volumes:", "  - name: hf-cache", "    path: /data", "  - datasets:/datasets",
      "  - instance_path: /mnt/scratch", "    path: /scratch", "    optional: true", "",
    ].join("\n"),
    "g5.xlarge",
    "us-east-1",
  );
  const gcpT4 = offerFor("type: dev-environment\nname: t4-box\nide: vscode\nversion: 1c2e9ea4e1b1e4a5b7b2d1b0fa0a8f0b00b4c1f2\nresources:\n  gpu: T4\nvolumes:\n  - /home/ubuntu/cache:/cache\n", "n1-standard-4", "us-central1");
  const gcpA2 = offerFor("type: dev-environment\nname: a2-box\nide: vscode\nnvcc: true\nworking_dir: src\nmax_duration: off\nresources:\n  gpu: A100:40GB\nvolumes:\n  - models:/models\n", "a2-highgpu-1g", "us-central1");
  const tpu = offerFor("type: dev-environment\nname: tpu-box\nide: vscode\nprivileged: true\nresources:\n  gpu: v5litepod-8\nvolumes:\n  - tpu-data:/data\n", "v5litepod-8", "us-east5");
  const registry = offerFor(
    [
      "type: dev-environment", "name: private", "ide: vscode", "image: ghcr.io/acme/research:2024.06", "registry_auth:", "  username: acme-bot", "  password: ${{ env.GHCR_TOKEN }}",
      "env:", "  - HF_TOKEN", "  - GHCR_TOKEN", "  - WANDB_MODE=offline", "init:", "  - echo \"$HF_TOKEN\" | wc -c", "",
    ].join("\n"),
    "c7i.xlarge",
    "us-east-1",
  );
  const repo = offerFor(
    [
      "type: dev-environment", "name: repo-box", "ide: vscode", "version: 1c2e9ea4e1b1e4a5b7b2d1b0fa0a8f0b00b4c1f2", "user: '1000:1000'",
      "env:", "  - HF_TOKEN", "  - MODE=first", "ports:", "  - 8888",
      "init:", "  - pip install -r requirements.txt", "  - nohup python3 -m http.server 8888 >/dev/null 2>&1 &", "",
    ].join("\n"),
    "m7i.large",
    "us-east-1",
  );
  return [
    { name: "aws-cpu", input: { target: "aws-vm", runName: "cpu-box", spec: awsCpu.spec, offer: awsCpu.offer, sshPublicKey: SSH_KEY, volumes: [], secretEnv: {} } },
    {
      name: "aws-gpu-spot-volumes",
      input: {
        target: "aws-vm", runName: "gpu-spot", spec: awsGpu.spec, offer: awsGpu.offer, sshPublicKey: SSH_KEY,
        volumes: [
          { name: "hf-cache", path: "/data", device: { kind: "aws-ebs", volumeId: "vol-0a1b2c3d4e5f60718" }, formatIfBlank: true },
          { name: "datasets", path: "/datasets", device: { kind: "aws-ebs", volumeId: "vol-0f1e2d3c4b5a69788" }, formatIfBlank: true },
        ],
        secretEnv: {},
      },
    },
    { name: "gcp-n1-t4", input: { target: "gcp-vm", runName: "t4-box", spec: gcpT4.spec, offer: gcpT4.offer, sshPublicKey: SSH_KEY, volumes: [], secretEnv: {} } },
    {
      name: "gcp-a2",
      input: {
        target: "gcp-vm", runName: "a2-box", spec: gcpA2.spec, offer: gcpA2.offer, sshPublicKey: SSH_KEY,
        volumes: [{ name: "models", path: "/models", device: { kind: "gcp-pd", deviceName: "pd-models" }, formatIfBlank: true }], secretEnv: {},
      },
    },
    {
      name: "tpu-v5litepod-8",
      input: {
        target: "gcp-tpu-vm", runName: "tpu-box", spec: tpu.spec, offer: tpu.offer, sshPublicKey: SSH_KEY,
        volumes: [{ name: "tpu-data", path: "/data", device: { kind: "gcp-pd", deviceName: "persistent-disk-1" }, formatIfBlank: true }], secretEnv: {},
      },
    },
    {
      name: "private-registry-secrets",
      input: {
        target: "aws-vm", runName: "private", spec: registry.spec, offer: registry.offer, sshPublicKey: SSH_KEY, volumes: [],
        secretEnv: {
          HF_TOKEN: { store: "aws-ssm", region: "us-east-1", parameter: "/dstack/dstack-test/test/private/env/HF_TOKEN" },
          GHCR_TOKEN: { store: "aws-ssm", region: "us-east-1", parameter: "/dstack/dstack-test/test/private/env/GHCR_TOKEN" },
        },
        registryPassword: { store: "aws-ssm", region: "us-east-1", parameter: "/dstack/dstack-test/test/private/registry-password" },
      },
    },
    {
      name: "aws-repo",
      input: {
        target: "aws-vm", runName: "repo-box", spec: repo.spec, offer: repo.offer, sshPublicKey: SSH_KEY, volumes: [],
        secretEnv: { HF_TOKEN: { store: "aws-ssm", region: "us-east-1", parameter: "/dstack/dstack-test/test/repo-box/env/HF_TOKEN" } },
        repo: {
          url: "https://github.com/acme/research.git", branch: "main", hash: "5f3c1d2e4b6a79880a1b2c3d4e5f60718293a4b5", singleBranch: true, path: ".",
          token: { store: "aws-ssm", region: "us-east-1", parameter: "/dstack/dstack-test/test/repo-box/repo-token" },
        },
      },
    },
  ];
}
