/**
 * The 100 dev environments of the environments benchmark (bench/environments.ts): the bundled
 * examples (by `configPath`) and inline configurations, mixed AWS / GCP VM / GCP TPU, some with
 * network volumes, spot, secrets, tags and pins. Deterministic: the same list on every call (no
 * randomness; variations come from the index). 16 templates taken in turn, so configurations repeat
 * as a team's would: 100 environments read 58 distinct texts and ask 20 distinct offer requests.
 */
import * as path from "node:path";
import type { DevEnvironmentArgs } from "../components/args";

/** One environment: the component's name and its args (`sshPublicKey` and `allowedCidrs` added by the runner). */
export interface BenchEnvironment {
  name: string;
  args: Partial<DevEnvironmentArgs>;
}

const ROOT = path.resolve(__dirname, "../..");
const example = (name: string) => path.join(ROOT, "examples", name, ".dstack.yml");
/** No lock file exists there: every environment chooses its offer from the catalog. */
const lockFile = (name: string) => `/nonexistent/bench/${name}.lock.json`;

type Template = (i: number) => Partial<DevEnvironmentArgs>;

/** Inline configuration text. */
function inline(lines: string[]): string {
  return ["type: dev-environment", "ide: vscode", ...lines].join("\n") + "\n";
}

const TEMPLATES: [string, Template][] = [
  ["ex-cpu-aws", () => ({ configPath: example("cpu"), backend: "aws" })],
  ["ex-cpu-gcp", () => ({ configPath: example("cpu"), backend: "gcp", region: "us-central1" })],
  ["ex-gpu-aws", (i) => ({ configPath: example("gpu"), backend: "aws", env: { HF_TOKEN: `hf_bench_${i}` } })],
  ["ex-gpu-gcp", (i) => ({ configPath: example("gpu"), backend: "gcp", env: { HF_TOKEN: `hf_bench_${i}` } })],
  ["ex-spot", () => ({ configPath: example("spot"), backend: "aws" })],
  ["ex-tpu", () => ({ configPath: example("tpu") })],
  ["ex-volumes", () => ({ configPath: example("volumes"), region: "us-central1" })],
  ["ex-private", (i) => ({ configPath: example("private-registry"), env: { GHCR_TOKEN: `ghp_bench_${i}`, HF_TOKEN: `hf_bench_${i}` } })],
  ["ex-custom-image", (i) => ({ configPath: example("custom-image"), env: { GHCR_TOKEN: `ghp_bench_${i}` } })],
  ["ex-shared-volume", () => ({ configPath: example("shared-volume") })],
  ["ex-yaml", (i) => ({ configPath: example("yaml"), env: { HF_TOKEN: `hf_bench_${i}` }, tags: { team: "bench" } })],
  ["aws-cpu", (i) => ({
    config: inline([`name: aws-cpu-${i}`, "resources:", `  cpu: ${2 + (i % 4) * 2}`, `  memory: ${8 + (i % 3) * 8}GB..`, "spot_policy: spot"]),
    backend: "aws", region: "us-east-1",
  })],
  ["aws-gpu-vol", (i) => ({
    config: inline(["resources:", "  gpu: T4", "env:", "  - WANDB_API_KEY", "volumes:", `  - name: cache-${i % 5}`, "    path: /cache"]),
    backend: "aws", region: "us-east-1", env: { WANDB_API_KEY: `wandb_${i}` }, volumeSizes: { [`cache-${i % 5}`]: 50 + i }, tags: { owner: `user${i % 7}` },
  })],
  ["gcp-l4", (i) => ({
    config: inline(["python: \"3.11\"", "resources:", "  gpu: L4", "init:", `  - echo run ${i}`, `spot_policy: ${i % 2 === 0 ? "spot" : "on-demand"}`]),
    backend: "gcp", region: "us-central1",
  })],
  ["gcp-cpu-vol", (i) => ({
    config: inline(["resources:", `  cpu: ${4 + (i % 3) * 4}`, "volumes:", "  - data:/data", "  - scratch:/scratch", "env:", "  - API_KEY"]),
    backend: "gcp", region: "us-central1", env: { API_KEY: `key_${i}` },
  })],
  ["gcp-tpu", (i) => ({
    config: inline(["resources:", `  gpu: ${i % 2 === 0 ? "v5litepod-8" : "v6e-4"}`, `spot_policy: ${i % 3 === 0 ? "on-demand" : "spot"}`]),
    backend: "gcp", region: i % 2 === 0 ? "us-west4" : "us-east5",
  })],
];

/** The benchmark's environments, in declaration order. */
export function benchEnvironments(count = 100): BenchEnvironment[] {
  const result: BenchEnvironment[] = [];
  for (let i = 0; i < count; i++) {
    const [kind, template] = TEMPLATES[i % TEMPLATES.length];
    const name = `${kind}-${String(i).padStart(3, "0")}`;
    result.push({ name, args: { lockFile: lockFile(name), ...template(i) } });
  }
  return result;
}
