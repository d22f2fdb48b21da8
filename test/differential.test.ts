/**
 * Differences from dstack 0.18.21 found by differential fuzzing, each pinned to the exact result
 * dstack's own parser gives for the same text.
 */
import assert from "node:assert/strict";
import { toDstackJson } from "../config/normalize";
import { readConfigText } from "../config/read";

const HEAD = "type: dev-environment\nide: vscode\n";

function json(text: string): Record<string, any> {
  const result = readConfigText(text, "t.yml");
  assert.ok(result.ok, `expected a valid config: ${!result.ok && JSON.stringify(result.issues, null, 1)}`);
  return toDstackJson(result.spec) as Record<string, any>;
}

function messages(text: string): string[] {
  const result = readConfigText(text, "t.yml");
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe("differences from dstack 0.18.21 found by fuzzing", () => {
  it("reads decimal digits of any script in numbers and durations, as Python's int(), float() and \\d do", () => {
    const config = json(
      `${HEAD}max_duration: \u0661h\ntermination_idle_time: "\u0669\u0660"\nports: ["\u0668\u0660\u0668\u0660"]\nmax_price: "\u0660.\u0665"\n` +
        `resources: {cpu: "\u0663..", memory: \u0661\u0666GB, disk: "\u0662\u0660\u0660 GB..", shm_size: \u0661.\u0665GB, gpu: "A100:\u0662:\u0664\u0660GB"}\n`,
    );
    assert.equal(config.max_duration, "3600");
    assert.equal(config.termination_idle_time, 90);
    assert.deepEqual(config.ports, [{ local_port: 8080, container_port: 8080 }]);
    assert.equal(config.max_price, 0.5);
    assert.deepEqual(config.resources, {
      cpu: { min: 3, max: null },
      memory: { min: 16, max: 16 },
      shm_size: 1.5,
      gpu: { vendor: null, name: ["A100"], count: { min: 2, max: 2 }, memory: { min: 40, max: 40 }, total_memory: null, compute_capability: null },
      disk: { size: { min: 200, max: null } },
    });
    assert.equal(json(`${HEAD}max_duration: "\u{1D7D0}h"\n`).max_duration, "7200");
  });

  it("keeps the local:container port form ASCII-only, as dstack's pattern is", () => {
    assert.deepEqual(messages(`${HEAD}ports: ["\u0668\u0660:\u0668\u0660"]\n`), [
      'ports[0]: invalid port "\u0668\u0660:\u0668\u0660": expected a port (8080), "local:container" ("80:8080"), "*:8080" or {local_port, container_port}',
    ]);
  });

  it("reads an empty string or an empty list as an empty mapping where dstack builds a model or a dict", () => {
    const defaults = { cpu: { min: 2, max: null }, memory: { min: 8, max: null }, shm_size: null, gpu: null, disk: { size: { min: 100, max: null } } };
    assert.deepEqual(json(`${HEAD}resources: []\n`).resources, defaults);
    assert.deepEqual(json(`${HEAD}resources: ''\n`).resources, defaults);
    assert.deepEqual(json(`${HEAD}resources: {gpu: []}\n`).resources.gpu, {
      vendor: null, name: null, count: { min: 1, max: 1 }, memory: null, total_memory: null, compute_capability: null,
    });
    assert.deepEqual(json(`${HEAD}env: ''\n`).env, {});
    assert.deepEqual(json(`${HEAD}retry_policy: []\n`).retry_policy, { retry: false, duration: null });
    assert.deepEqual(json(`${HEAD}retry_policy: ''\n`).retry_policy, { retry: false, duration: null });
    assert.deepEqual(messages(`${HEAD}registry_auth: []\n`), ["registry_auth.username: registry_auth needs username"]);
  });

  it("still rejects a list of pairs, which pydantic v1 would also turn into a mapping", () => {
    assert.deepEqual(messages(`${HEAD}resources: [[cpu, 4]]\n`), ["resources: expected a mapping of cpu, memory, shm_size, gpu, disk, got a list"]);
    assert.deepEqual(messages(`${HEAD}resources: {gpu: [A100]}\n`).length, 1);
  });

  it("strips Python's whitespace around numbers, not JavaScript's: U+FEFF is not whitespace, U+00A0 and U+3000 are", () => {
    assert.deepEqual(messages(`${HEAD}resources: {cpu: "4\ufeff"}\n`), ['resources.cpu: expected an integer, got "4\ufeff"']);
    assert.deepEqual(messages(`${HEAD}max_price: "\ufeff1"\n`), ['max_price: expected a number, got "\ufeff1"']);
    assert.equal(messages(`${HEAD}resources: {memory: "\ufeff1GB.."}\n`).length, 1);
    const config = json(`${HEAD}max_duration: "\u00a090"\nresources: {memory: "\u00a016GB", cpu: "\u30002", disk: "1\u2009TB"}\n`);
    assert.equal(config.max_duration, "90");
    assert.deepEqual(config.resources.memory, { min: 16, max: 16 });
    assert.deepEqual(config.resources.cpu, { min: 2, max: 2 });
    assert.deepEqual(config.resources.disk, { size: { min: 1024, max: 1024 } });
  });

  it("reads a lone CPU count as dstack 0.18.21's Range does: spaces are dropped only around ..", () => {
    assert.deepEqual(messages(`${HEAD}resources: {cpu: ". .2"}\n`), ['resources.cpu: expected an integer, got ". .2"']);
    assert.deepEqual(messages(`${HEAD}resources: {cpu: "1 0"}\n`), ['resources.cpu: expected an integer, got "1 0"']);
    assert.deepEqual(json(`${HEAD}resources: {cpu: " 2 .. 4 "}\n`).resources.cpu, { min: 2, max: 4 });
    assert.deepEqual(json(`${HEAD}resources: {cpu: " 4 "}\n`).resources.cpu, { min: 4, max: 4 });
  });
});
