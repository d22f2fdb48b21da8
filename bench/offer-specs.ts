/**
 * 100 different resource requests for the offers benchmark: GPU names, counts and memory, CPU and
 * memory ranges, TPU slices, spot policies, price caps and regions, combined deterministically.
 */
const GPUS = [
  null, "A100:80GB:8", "H100:8", "T4", "v5litepod-8", "24GB..:1..2", "L4,A10G", "A10G", "L40S:4", "H200:8", "B200",
  "V100:2", "nvidia:40GB..", "tpu", "A100:40GB", "L4:2..4", "16GB..24GB", "1..", "P100", "v6e-4",
];
const CPUS = [null, "4..", "8..16", "32..", "2..8"];
const MEMORY = [null, "16GB..", "64GB..256GB", "8GB..32GB"];
const SPOT = [null, "spot", "auto"];
const EXTRA = [null, "max_price: 2", "regions: [us-east-1, us-central1]", "backends: [gcp]", "backends: [aws]", "instance_types: [g5.xlarge, n1-standard-8]"];

/** Configuration texts, each different. */
export function offerBenchSpecs(count = 100): string[] {
  const specs = new Set<string>();
  for (let i = 0; specs.size < count; i++) {
    const lines = ["type: dev-environment", "ide: vscode", "resources:"];
    const gpu = GPUS[i % GPUS.length];
    const cpu = CPUS[Math.floor(i / GPUS.length) % CPUS.length];
    const memory = MEMORY[(i * 7) % MEMORY.length];
    const spot = SPOT[(i * 5) % SPOT.length];
    const extra = EXTRA[(i * 3) % EXTRA.length];
    lines.push(`  disk: ${100 + (i % 3) * 50}GB..`);
    if (gpu) lines.push(`  gpu: "${gpu}"`);
    // Graviton has no GPUs here: ask for arm only without a GPU.
    if (cpu) lines.push(`  cpu: "${gpu === null && i % 2 === 0 ? "arm:" : ""}${cpu}"`);
    if (memory) lines.push(`  memory: "${memory}"`);
    if (spot) lines.push(`spot_policy: ${spot}`);
    if (extra) lines.push(extra);
    specs.add(lines.join("\n") + "\n");
  }
  return [...specs];
}
