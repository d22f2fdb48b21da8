/**
 * The reader beyond dstack's own vectors: YAML 1.1 loading, hostile documents, positions,
 * interpolation and the cross-field rules, with exact values and exact messages.
 */
import assert from "node:assert/strict";
import { toDstackJson } from "../config/normalize";
import { pythonFloatRepr } from "../config/py-values";
import { readConfigText } from "../config/read";
import { parseTemplate } from "../config/interpolation";
import { GrammarError } from "../config/coerce";

const HEAD = "type: dev-environment\nide: vscode\n";

function json(text: string): Record<string, any> {
  const result = readConfigText(text, "t.yml");
  assert.ok(result.ok, `expected a valid config: ${!result.ok && JSON.stringify(result.issues, null, 1)}`);
  return toDstackJson(result.spec) as Record<string, any>;
}

function issues(text: string) {
  const result = readConfigText(text, "t.yml");
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map(({ line, column, path, message, code, hint }) => ({ line, column, path, message, code, hint }));
}

describe("YAML 1.1 as PyYAML reads it", () => {
  it("reads yes/on as true, y as a string, 8:50 as 530 and 3.10 as Python 3.10", () => {
    const config = json(`${HEAD}nvcc: on\nname: y\nports:\n  - 8:50\n  - 80:8080\npython: 3.10\n`);
    assert.equal(config.nvcc, true);
    assert.equal(config.name, "y");
    assert.deepEqual(config.ports, [{ local_port: 530, container_port: 530 }, { local_port: 80, container_port: 8080 }]);
    assert.equal(config.python, "3.10");
  });

  it("keeps 1e3 a string (no dot) and reads 1.0e+3 as a float", () => {
    assert.equal(json(`${HEAD}name: 1e3\n`).name, "1e3");
    assert.equal(json(`${HEAD}name: 1.0e+3\n`).name, "1000.0");
    assert.equal(json(`${HEAD}version: 2.0\n`).version, "2.0");
  });

  it("merges << mappings with explicit keys winning", () => {
    const config = json(`x-base: &base\n  memory: 16GB\n  disk: 200GB\n`.replace("x-base", "resources") + `type: dev-environment\nide: vscode\n`);
    assert.deepEqual(config.resources.memory, { min: 16, max: 16 });
    const merged = json(`${HEAD}env: &e\n  A: "1"\nresources:\n  <<: {memory: 32GB, disk: 100GB}\n  memory: 64GB\n`);
    assert.deepEqual(merged.resources.memory, { min: 64, max: 64 });
    assert.deepEqual(merged.resources.disk, { size: { min: 100, max: 100 } });
  });

  it("rejects duplicate keys, naming the first line", () => {
    assert.deepEqual(issues(`${HEAD}name: a\nname: b\n`), [
      { line: 4, column: 1, path: "name", message: 'duplicate key "name": first defined on line 3; each key may appear once in a mapping', code: "duplicate_key", hint: undefined },
    ]);
  });

  it("rejects a date where a string is expected", () => {
    assert.deepEqual(issues(`${HEAD}name: 2024-01-01\n`).map((i) => i.message), ["expected a string, got a date"]);
  });

  it("stops alias bombs", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 8; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const found = issues(text);
    assert.ok(found.some((issue) => issue.code === "too_many_aliases"));
  });

  it("treats __proto__ as an ordinary (unknown) key", () => {
    const found = issues(`${HEAD}__proto__:\n  polluted: true\n`);
    assert.deepEqual(found.map((i) => [i.path, i.code]), [["__proto__", "unknown_field"]]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(json(`${HEAD}env:\n  __proto__: x\n`).env, JSON.parse('{"__proto__": "x"}'));
  });

  it("reports a syntax error with its position", () => {
    assert.deepEqual(issues(`${HEAD}resources: [a\n`).map((i) => [i.line, i.code]), [[4, "yaml_syntax"]]);
  });

  it("rejects unknown tags", () => {
    assert.deepEqual(issues(`${HEAD}name: !secret x\n`).map((i) => [i.path, i.code]), [["name", "unsupported_tag"]]);
    assert.equal(json(`${HEAD}name: !!str 3.10\n`).name, "3.10");
  });
});

describe("Python's str() of floats", () => {
  it("matches repr", () => {
    assert.deepEqual([1.0, 1.5, 1e16, 1e-5, 0.0001, 123456789.125].map(pythonFloatRepr), ["1.0", "1.5", "1e+16", "1e-05", "0.0001", "123456789.125"]);
  });
});

describe("positions and hints", () => {
  it("sorts every problem by position and gives nearest-match hints", () => {
    assert.deepEqual(issues(`${HEAD}spot_polcy: auto\nresources:\n  gpu: H100:L4\n  memroy: 8GB\nspot_policy: on_demand\n`), [
      { line: 3, column: 1, path: "spot_polcy", message: 'unknown field "spot_polcy": not a field of a dev-environment configuration', code: "unknown_field", hint: 'Did you mean "spot_policy"?' },
      { line: 5, column: 8, path: "resources.gpu", message: 'GPU spec name conflict in "H100:L4": give at most one name token', code: "conflict", hint: 'To accept any of these GPUs, separate the names with commas: "H100,L4"' },
      { line: 6, column: 3, path: "resources.memroy", message: 'unknown field "memroy" in resources; allowed: cpu, memory, shm_size, gpu, disk', code: "unknown_field", hint: 'Did you mean "memory"?' },
      { line: 7, column: 14, path: "spot_policy", message: '"on_demand" is not a valid spot policy; allowed: spot, on-demand, auto', code: "invalid_choice", hint: 'Did you mean "on-demand"?' },
    ]);
  });

  it("points into lists and nested objects", () => {
    assert.deepEqual(issues(`${HEAD}volumes:\n  - data:/data\n  - name: x\n    path: rel\n`).map((i) => [i.line, i.column, i.path]), [[6, 11, "volumes[1].path"]]);
  });
});

describe("registry_auth references", () => {
  it("parses ${{ env.NAME }} and $$", () => {
    assert.deepEqual(parseTemplate("a$${{ env.X }}-${{ secrets.Y }}"), ["a${{ env.X }}-", { namespace: "secrets", name: "Y" }]);
    assert.deepEqual(parseTemplate("${{env.TOKEN}}"), [{ namespace: "env", name: "TOKEN" }]);
    assert.throws(() => parseTemplate("${{ env.X "), (e) => e instanceof GrammarError && e.message === 'unclosed reference in "${{ env.X ": a "${{" needs a closing "}}"');
    assert.throws(() => parseTemplate("${{ vars.X }}"), (e) => e instanceof GrammarError && e.message === 'unknown namespace "vars" in "${{ vars.X }}": use env or secrets');
  });

  it("requires referenced env variables to be declared, and masks the password", () => {
    const text = `${HEAD}image: ghcr.io/a/b\nregistry_auth:\n  username: bot\n  password: \${{ env.GHCR_TOKEN }}\n`;
    assert.deepEqual(issues(text).map((i) => [i.line, i.path, i.message]), [[6, "registry_auth.password", "${{ env.GHCR_TOKEN }} refers to a variable that env does not define"]]);
    const config = json(`${text}env:\n  - GHCR_TOKEN\n`);
    assert.deepEqual(config.registry_auth, { username: "bot", password: "[secret]" });
    assert.deepEqual(config.env, { GHCR_TOKEN: { key: "GHCR_TOKEN" } });
  });
});

describe("cross-field rules", () => {
  it("rejects image with python, docker with image, version without ide", () => {
    assert.deepEqual(issues(`${HEAD}image: ubuntu\npython: "3.11"\n`).map((i) => [i.path, i.code]), [["python", "conflict"]]);
    assert.deepEqual(issues(`${HEAD}image: ubuntu\ndocker: true\n`).map((i) => [i.path, i.code]), [["docker", "conflict"]]);
    assert.deepEqual(issues(`type: dev-environment\nversion: "1.90"\n`).map((i) => [i.path, i.code]), [["version", "conflict"]]);
  });

  it("requires an image for AMD GPUs, named or declared", () => {
    assert.deepEqual(issues(`${HEAD}resources:\n  gpu: MI300X:8\n`).map((i) => [i.path, i.code]), [["resources.gpu", "missing_field"]]);
    assert.deepEqual(json(`${HEAD}image: rocm/pytorch\nresources:\n  gpu: amd:2\n`).resources.gpu.vendor, "amd");
  });

  it("still reports a cross-field conflict when another field is wrong", () => {
    assert.deepEqual(issues(`${HEAD}image: ubuntu\npython: "3.11"\nmax_price: 0\n`).map((i) => i.path), ["python", "max_price"]);
  });
});

describe("seed (dstack 0.18.2x) behaviour where later releases differ", () => {
  it("an omitted GPU count is exactly one; max_duration is a string of seconds", () => {
    const config = json(`${HEAD}resources:\n  gpu: A100\nmax_duration: 2h\n`);
    assert.deepEqual(config.resources.gpu.count, { min: 1, max: 1 });
    assert.equal(config.max_duration, "7200");
    assert.equal(json(`${HEAD}max_duration: off\n`).max_duration, "0");
  });

  it("accepts later fields in recent dstack's shape", () => {
    const config = json(`${HEAD}inactivity_duration: 2h\nresources:\n  cpu: arm:8\nvolumes:\n  - name: [a, b]\n    path: /data\n  - instance_path: /mnt\n    path: /mnt\n    optional: true\n`);
    assert.equal(config.inactivity_duration, 7200);
    assert.deepEqual(config.resources.cpu, { min: 8, max: 8, arch: "arm" });
    assert.deepEqual(config.volumes, [{ name: ["a", "b"], path: "/data" }, { instance_path: "/mnt", path: "/mnt", optional: true }]);
  });

  it("coerces later fields as recent dstack does (no booleans as text, no fractional ints)", () => {
    assert.deepEqual(issues(`${HEAD}user: true
`).map((i) => i.message), ["expected a string, got a boolean (true); quote it if you mean the text"]);
    assert.equal(json(`${HEAD}priority: "50.0"
`).priority, 50);
    assert.deepEqual(issues(`${HEAD}priority: 50.5
`).map((i) => i.message), ["expected an integer, got 50.5"]);
    assert.equal(json(`${HEAD}name: true
`).name, "True");
  });
});

describe("resources.cpu text", () => {
  it("a token that is neither a count nor an architecture is named as such, after a count too; two counts or architectures conflict", () => {
    const cpu = (value: string) => issues(`${HEAD}resources:\n  cpu: "${value}"\n`).map(({ path, message, code }) => ({ path, message, code }));
    const neither = (token: string, whole: string) => [
      { path: "resources.cpu", message: `invalid CPU spec "${whole}": "${token}" is neither a count (4, 2..8) nor an architecture (x86, arm)`, code: "invalid_value" },
    ];
    assert.deepEqual(cpu("2:foo"), neither("foo", "2:foo"));
    assert.deepEqual(cpu("foo:2"), neither("foo", "foo:2"));
    assert.deepEqual(cpu("arm:foo"), neither("foo", "arm:foo"));
    assert.deepEqual(cpu("2:arm:2"), [{ path: "resources.cpu", message: 'CPU spec "2:arm:2" has two counts: give at most one', code: "conflict" }]);
    assert.deepEqual(cpu("arm:x86"), [{ path: "resources.cpu", message: 'CPU spec "arm:x86" has two architectures: give at most one', code: "conflict" }]);
  });
});

describe("warnings", () => {
  it("flags deprecated and suspicious settings of a valid file, with positions", () => {
    const result = readConfigText(`${HEAD}setup: [echo]\nmax_duration: true\nresources:\n  gpu: tpu-v2-8\nports: [10500]\n`, "w.yml");
    assert.ok(result.ok);
    assert.deepEqual(result.ok && result.warnings.map(({ line, column, path, code, message }) => [line, column, path, code, message]), [
      [3, 1, "setup", "deprecated", "setup is deprecated by dstack (0.18.31): put these commands in init"],
      [4, 15, "max_duration", "suspicious", "true means one second in dstack 0.18.2x: give a duration such as 6h, or off"],
      [6, 8, "resources.gpu", "deprecated", 'the "tpu-" prefix of TPU names is deprecated by dstack: write v2-8 rather than tpu-v2-8'],
      [7, 9, "ports[0]", "suspicious", "container port 10500 is in the range dstack reserves (10000..10999) and is not forwarded"],
    ]);
  });

  it("gives none for a plain file", () => {
    const result = readConfigText(`${HEAD}python: "3.11"\nresources:\n  gpu: A100\n`);
    assert.deepEqual(result.ok && result.warnings, []);
  });
});

describe("hostile values", () => {
  it("rejects sizes that are not finite numbers, pointing into the short form", () => {
    assert.deepEqual(issues(`${HEAD}resources:\n  memory: nan\n  disk: ..inf\n`).map((i) => [i.line, i.column, i.path, i.message]), [
      [4, 11, "resources.memory", 'invalid size "nan": a size is a finite number; leave a bound empty for "no limit" (24GB..)'],
      [5, 9, "resources.disk.max", 'invalid size "inf": a size is a finite number; leave a bound empty for "no limit" (24GB..)'],
    ]);
  });

  it("rejects a second YAML document in plain words", () => {
    assert.deepEqual(issues(`${HEAD}---\nname: x\n`).map((i) => [i.line, i.message]), [
      [3, 'YAML syntax error: a configuration file holds one YAML document; remove the second "---" and what follows, or merge the two'],
    ]);
  });

  it("reads a file that starts with a byte order mark", () => {
    assert.equal(json(`\ufeff${HEAD}`).ide, "vscode");
  });
});

describe("PyYAML's stricter reading, and limits", () => {
  it("rejects tabs outside quotes, block scalars and comments, as PyYAML does", () => {
    assert.deepEqual(issues(`${HEAD}name: box\t\n`).map((i) => [i.line, i.column, i.code]), [[3, 10, "yaml_syntax"]]);
    assert.deepEqual(issues(`${HEAD}init:\n  - echo hi\t# note\n`).map((i) => [i.line, i.column]), [[4, 12]]);
    assert.deepEqual(issues(`${HEAD}regions: [a,\tb]\n`).map((i) => [i.line, i.column]), [[3, 13]]);
    assert.equal(json(`${HEAD}name: "a\tb"\ninit:\n  - |\n    x\ty\n# a\tcomment\n`).name, "a\tb");
  });

  it("rejects control characters with their code", () => {
    assert.deepEqual(issues(`${HEAD}name: "a\x7fb"\n`).map((i) => [i.line, i.column, i.message]), [
      [3, 9, 'YAML syntax error: unacceptable character #x007f: control characters are not allowed; write it escaped in double quotes ("\\x7f")'],
    ]);
  });

  it("rejects numbers PyYAML cannot build, and builds tagged ones as PyYAML does", () => {
    assert.deepEqual(issues(`${HEAD}name: 0b_\n`).map((i) => [i.path, i.message]), [["name", '"0b_" looks like an integer to YAML but is not one: quote it if you mean the text']]);
    assert.equal(json(`${HEAD}max_price: !!float 1e3\n`).max_price, 1000);
    assert.equal(json(`${HEAD}name: !!null foo\n`).name, null);
    assert.equal(json(`${HEAD}name: ! 12\n`).name, "12");
  });

  it("orders merged keys first, as PyYAML does, and points at the alias that brought a key in", () => {
    assert.deepEqual(Object.keys(json(`${HEAD}env:\n  B: "0"\n  <<: [{A: "1"}, {A: x, C: "3"}]\n`).env), ["A", "C", "B"]);
    assert.deepEqual(json(`${HEAD}env:\n  B: "0"\n  <<: [{A: "1"}, {A: x, C: "3"}]\n`).env, { A: "1", C: "3", B: "0" });
    assert.deepEqual(issues(`x: &d {memory: 1XB}\n${HEAD}resources:\n  disk: 100GB\n  <<: *d\n`).map((i) => [i.line, i.column, i.path]), [
      [1, 1, "x"],
      [6, 7, "resources.memory"],
    ]);
    assert.deepEqual(issues(`${HEAD}regions: &r [1, 2]\nbackends: *r\n`).map((i) => [i.line, i.column, i.path]), [[4, 11, "backends[0]"], [4, 11, "backends[1]"]]);
  });

  it("stops documents nested too deeply or too large, saying which", () => {
    const deep = `${HEAD}init: ${"[".repeat(100)}x${"]".repeat(100)}\n`;
    assert.deepEqual(issues(deep).map((i) => i.message), ["lists and mappings are nested more than 64 levels deep; a configuration needs a few"]);
    const large = `${HEAD}env:\n${Array.from({ length: 100_001 }, (_, i) => `  V${i}: x`).join("\n")}\n`;
    assert.deepEqual(issues(large).map((i) => i.message), ["the document holds more than 100000 values; a configuration is far smaller"]);
    let chain = `${HEAD}x0: &a0 ${"[".repeat(40)}x${"]".repeat(40)}\n`;
    for (let i = 1; i < 14; i++) chain += `x${i}: &a${i} ${"[".repeat(40)}*a${i - 1}${"]".repeat(40)}\n`;
    assert.deepEqual(issues(`${chain}init: *a13\n`).map((i) => i.code), ["too_many_aliases"]);
  });

  it("reads retry and retry_policy as dstack 0.18.2x does", () => {
    assert.equal(json(`${HEAD}retry: 1.0\n`).retry, true);
    assert.deepEqual(json(`${HEAD}retry_policy: {duration: 2h}\n`).retry_policy, { retry: true, duration: 7200 });
    assert.deepEqual(json(`${HEAD}retry_policy: {}\n`).retry_policy, { retry: false, duration: null });
  });

  it("takes what Python's int() and re.match take", () => {
    assert.deepEqual(json(`${HEAD}resources:\n  gpu: {compute_capability: "8_0.0"}\n`).resources.gpu.compute_capability, [80, 0]);
    assert.equal(json(`${HEAD}max_duration: "2h\\n"\n`.replace('"2h\\n"', '"2h\\n"')).max_duration, "7200");
    assert.deepEqual(json(`${HEAD}ports: ["80:8080\\n"]\n`).ports, [{ local_port: 80, container_port: 8080 }]);
  });

  it("rejects a pair without a key rather than inventing one", () => {
    assert.deepEqual(issues(`${HEAD}init: [a]: b\n`).map((i) => i.code), ["yaml_syntax"]);
  });
});
