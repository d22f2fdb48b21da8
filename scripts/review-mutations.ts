/**
 * The six bugs of the mutation review (issue 18), each put into a copy of the project and run
 * against the behavioural tests that should catch it (never a golden test: tests with "golden" in
 * their title are left out). Prints, per mutation, the tests that failed; exits 1 when a mutation
 * passes every test. Run after `npm run build`:
 *
 *   node dist/scripts/review-mutations.js            all six
 *   node dist/scripts/review-mutations.js spot-tie   some of them, by name
 *
 * The copy: the files git tracks (as they are in the work tree) and the built dist/, with
 * node_modules linked. A mutated TypeScript file is transpiled alone into the copy's dist/ (the
 * same compiler options); a mutated shell file is read by the bootstrap as it is.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");

interface Mutation {
  name: string;
  what: string;
  file: string;
  from: string;
  to: string;
  /** Compiled test files (under dist/test) that should catch it. */
  tests: string[];
}

const MUTATIONS: Mutation[] = [
  {
    name: "gpu-count-default",
    what: "a GPU request without a count means 1.. instead of exactly 1",
    file: "config/gpu.ts",
    from: "export const DEFAULT_GPU_COUNT: Range = { min: 1, max: 1 };",
    to: "export const DEFAULT_GPU_COUNT: Range = { min: 1, max: null };",
    tests: ["reader.test.js", "vectors.test.js", "offers/rules.test.js", "offers/bundled-catalog.test.js"],
  },
  {
    name: "spot-tie",
    what: "at equal price, spot sorts before on-demand",
    file: "offers/candidate.ts",
    from: "Number(a.spot) - Number(b.spot)",
    to: "Number(b.spot) - Number(a.spot)",
    tests: ["offers/rules.test.js", "offers/bundled-catalog.test.js", "offers/index-equivalence.test.js"],
  },
  {
    name: "blkid-exit-8-blank",
    what: "blkid -p's exit 8 (ambivalent: two signatures) is taken for a blank disk and formatted",
    file: "bootstrap/shell/volumes.sh",
    from: "    2)\n      format_blank",
    to: "    2 | 8)\n      format_blank",
    tests: ["bootstrap/execution-volumes.test.js"],
  },
  {
    name: "plan-secret-mask",
    what: "plan shows secret inputs instead of [secret]",
    file: "components/plan-run.ts",
    from: "if (record[SECRET_KEY] === SECRET_SIG) return SECRET_MASK;",
    to: "if (record[SECRET_KEY] === SECRET_SIG && SECRET_MASK === '') return SECRET_MASK;",
    tests: ["plan.test.js"],
  },
  {
    name: "volume-retain-on-delete",
    what: "a DevEnvironment's EBS volumes are deleted by pulumi destroy (retainOnDelete false)",
    file: "components/aws/volumes.ts",
    from: "retainOnDelete: !plan.deleteVolumesOnDestroy",
    to: "retainOnDelete: false",
    tests: ["components/aws-build.test.js", "components/aws-edge.test.js", "components/dev-environment.test.js"],
  },
  {
    name: "volume-component-retain-on-delete",
    what: "a Volume component's disk is deleted by pulumi destroy unless deleteOnDestroy is false (the default inverted)",
    file: "components/volume.ts",
    from: "retainOnDelete: defaults.retainOnDelete === true || !request.deleteOnDestroy",
    to: "retainOnDelete: defaults.retainOnDelete === true || request.deleteOnDestroy === true",
    tests: ["components/volume.test.js", "components/dev-environment.test.js"],
  },
  {
    name: "volume-zone-loses-to-lock",
    what: "the plan's zone (a pin or the lock's) wins over the zone of an existing volume",
    file: "components/aws/zone.ts",
    from: "const fixed = pinnedZone(found) ?? plan.zone;",
    to: "const fixed = plan.zone ?? pinnedZone(found);",
    tests: ["components/aws-edge.test.js", "components/volume-safety.test.js", "day-two/day-two.test.js"],
  },
];

/** The copy of the project the mutations go into. */
function makeCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-mutations-"));
  const files = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  fs.cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  const generated = path.join(ROOT, "provider", "schema.json");
  if (fs.existsSync(generated)) fs.copyFileSync(generated, path.join(dir, "provider", "schema.json"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const COMPILER_OPTIONS = (() => {
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  return ts.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT).options;
})();

/** Writes `text` as the copy's `file`, and its compiled form into dist/ for a TypeScript file. */
function put(copy: string, file: string, text: string): void {
  fs.writeFileSync(path.join(copy, file), text);
  if (!file.endsWith(".ts")) return;
  const output = ts.transpileModule(text, { compilerOptions: { ...COMPILER_OPTIONS, sourceMap: false, declaration: false }, fileName: file });
  fs.writeFileSync(path.join(copy, "dist", file.replace(/\.ts$/, ".js")), output.outputText);
}

interface Result {
  status: number | null;
  passing: number;
  failing: string[];
}

/** Runs the tests (golden ones left out) in the copy. */
function runTests(copy: string, tests: string[]): Result {
  const mocha = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
  const output = path.join(copy, "mocha-report.json");
  fs.rmSync(output, { force: true });
  const args = [mocha, "--no-config", "--require", "dist/test/setup.js", "--timeout", "120000", "--reporter", "json", "--reporter-option", `output=${output}`, "--grep", "golden", "--invert", ...tests.map((test) => `dist/test/${test}`)];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.UPDATE_GOLDEN;
  const run = spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024 });
  if (!fs.existsSync(output)) throw new Error(`mocha wrote no report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(fs.readFileSync(output, "utf8")) as { stats: { passes: number }; failures: { fullTitle: string }[] };
  return { status: run.status, passing: report.stats.passes, failing: report.failures.map((failure) => failure.fullTitle) };
}

function main(names: string[]): number {
  const chosen = names.length === 0 ? MUTATIONS : MUTATIONS.filter((mutation) => names.includes(mutation.name));
  if (names.some((name) => !MUTATIONS.some((mutation) => mutation.name === name))) {
    console.error(`unknown mutation; known: ${MUTATIONS.map((mutation) => mutation.name).join(", ")}`);
    return 2;
  }
  const copy = makeCopy();
  let missed = 0;
  try {
    for (const mutation of chosen) {
      const source = fs.readFileSync(path.join(copy, mutation.file), "utf8");
      if (source.split(mutation.from).length !== 2) throw new Error(`${mutation.name}: the text to mutate is not in ${mutation.file} exactly once`);
      const baseline = runTests(copy, mutation.tests);
      put(copy, mutation.file, source.replace(mutation.from, mutation.to));
      const mutated = runTests(copy, mutation.tests);
      put(copy, mutation.file, source);
      const caught = baseline.failing.length === 0 && mutated.failing.length > 0;
      if (!caught) missed++;
      console.log(`${caught ? "CAUGHT" : "MISSED"} ${mutation.name}: ${mutation.what}`);
      console.log(`  ${mutation.file}: ${JSON.stringify(mutation.from)} -> ${JSON.stringify(mutation.to)}`);
      console.log(`  tests: ${mutation.tests.join(", ")} (goldens left out): ${baseline.passing} pass unmutated${baseline.failing.length ? `, ${baseline.failing.length} FAIL unmutated` : ""}; mutated: ${mutated.failing.length} fail`);
      for (const title of mutated.failing.slice(0, 6)) console.log(`    - ${title}`);
      if (mutated.failing.length > 6) console.log(`    - ... and ${mutated.failing.length - 6} more`);
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  console.log(missed === 0 ? `all ${chosen.length} mutations caught` : `${missed} of ${chosen.length} mutations MISSED`);
  return missed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
