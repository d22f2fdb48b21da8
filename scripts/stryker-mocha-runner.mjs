/**
 * A StrykerJS test runner for this project's mocha 12 (`testRunner: "mocha12"` in
 * stryker.config.mjs). StrykerJS's own @stryker-mutator/mocha-runner cannot be used here: its 10.x
 * needs Node.js 22 (the project runs on 20), and its 9.x requires mocha's CommonJS CLI modules
 * (`mocha/lib/cli/options`, `run-helpers`), which mocha 12 ships as .cjs files it cannot find.
 * This runner does what that one does, with mocha's programmatic API only: it loads the compiled
 * spec files once, records which tests cover which mutant (coverage per test: the id of the
 * running test is put where the instrumented code reads it), and for each mutant runs just the
 * tests that cover it, with the mutant switched on.
 *
 * Options (stryker.config.mjs): `mocha12: { spec: ["dist/test/x/*.test.js", ...], require: [...] }`;
 * a spec is a file or a folder's files matching one `*` pattern, relative to the sandbox.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Mocha from "mocha";
import { INSTRUMENTER_CONSTANTS } from "@stryker-mutator/api/core";
import { PluginKind, commonTokens, declareClassPlugin, tokens } from "@stryker-mutator/api/plugin";
import { DryRunStatus, TestStatus, determineHitLimitReached, toMutantRunResult } from "@stryker-mutator/api/test-runner";

const require = createRequire(path.join(process.cwd(), "package.json"));

/** The files of a spec: a file, or `folder/prefix*suffix` (one `*`, no recursion). */
function specFiles(spec) {
  const full = path.resolve(spec);
  const star = path.basename(full).indexOf("*");
  if (star < 0) {
    if (!fs.existsSync(full)) throw new Error(`mocha12: no spec file ${spec}`);
    return [full];
  }
  const name = path.basename(full);
  const [prefix, suffix] = [name.slice(0, star), name.slice(star + 1)];
  const dir = path.dirname(full);
  const files = fs.readdirSync(dir).filter((file) => file.startsWith(prefix) && file.endsWith(suffix) && file.length >= name.length - 1).sort();
  if (files.length === 0) throw new Error(`mocha12: no spec file matches ${spec}`);
  return files.map((file) => path.join(dir, file));
}

/** Collects each test's result, as StrykerJS wants them. */
class Collector {
  static current;
  constructor(runner) {
    this.tests = [];
    Collector.current = this;
    let started = Date.now();
    runner.on("test", () => (started = Date.now()));
    runner.on("pass", (test) => {
      const id = test.fullTitle();
      this.tests.push({ id, name: id, status: TestStatus.Success, timeSpentMs: Date.now() - started, fileName: test.file });
    });
    runner.on("fail", (test, error) => {
      // A failing hook counts against the test it ran for.
      const id = test.ctx?.currentTest?.fullTitle() ?? test.fullTitle();
      this.tests.push({ id, name: id, status: TestStatus.Failed, failureMessage: error?.message || error?.stack || "<no message>", timeSpentMs: Date.now() - started, fileName: test.file });
    });
    runner.on("pending", (test) => {
      const id = test.fullTitle();
      this.tests.push({ id, name: id, status: TestStatus.Skipped, timeSpentMs: 0, fileName: test.file });
    });
  }
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

class Mocha12Runner {
  static inject = tokens(commonTokens.logger, commonTokens.options);

  constructor(log, options) {
    this.log = log;
    this.options = options.mocha12 ?? {};
    this.context = globalThis[INSTRUMENTER_CONSTANTS.NAMESPACE] ??= {};
    this.loaded = false;
    this.beforeEach = undefined;
  }

  capabilities() {
    // Loaded modules stay loaded: a static mutant needs a new process (StrykerJS starts one).
    return { reloadEnvironment: false };
  }

  async init() {
    // Tests that generate many cases run fewer of them under mutation (see test/support/mutation.ts).
    process.env.MUTATION_TESTING = "1";
    const files = (this.options.spec ?? []).flatMap(specFiles);
    if (files.length === 0) throw new Error("mocha12: no spec given (mocha12.spec in stryker.config.mjs)");
    const rootHooks = {};
    for (const file of this.options.require ?? []) {
      const hooks = require(path.resolve(file)).mochaHooks;
      for (const [name, hook] of Object.entries(hooks ?? {})) rootHooks[name] = [...(rootHooks[name] ?? []), hook].flat();
    }
    // No mocha timeout: StrykerJS stops a run that takes too long and counts the mutant as detected.
    this.mocha = new Mocha({ reporter: Collector, timeout: 0, rootHooks });
    this.mocha.cleanReferencesAfterRun(false);
    for (const file of files) this.mocha.addFile(file);
    const self = this;
    this.mocha.suite.beforeEach(function () {
      self.beforeEach?.(this);
    });
    this.log.debug(`mocha12: ${files.length} spec files`);
  }

  async dryRun({ coverageAnalysis, disableBail }) {
    if (coverageAnalysis === "perTest") {
      this.beforeEach = (context) => {
        this.context.currentTestId = context.currentTest?.fullTitle();
      };
    }
    const result = await this.run(disableBail);
    if (result.status === DryRunStatus.Complete && coverageAnalysis !== "off") result.mutantCoverage = this.context.mutantCoverage;
    this.beforeEach = undefined;
    return result;
  }

  async mutantRun({ activeMutant, testFilter, disableBail, hitLimit, mutantActivation }) {
    this.context.hitLimit = hitLimit;
    this.context.hitCount = hitLimit ? 0 : undefined;
    this.mocha.grep(testFilter ? new RegExp(testFilter.map((id) => `(^${escape(id)}$)`).join("|")) : undefined);
    return toMutantRunResult(await this.run(disableBail, activeMutant.id, mutantActivation));
  }

  async run(disableBail, activeMutant, activation) {
    try {
      if (!this.loaded) {
        // A static mutant must be on while the modules load.
        this.context.activeMutant = activation === "static" ? activeMutant : undefined;
        await this.mocha.loadFilesAsync();
        this.loaded = true;
      }
      const bail = (suite) => {
        suite.bail(!disableBail);
        suite.suites.forEach(bail);
      };
      bail(this.mocha.suite);
      this.context.activeMutant = activeMutant;
      Collector.current = undefined;
      await new Promise((resolve) => this.mocha.run(() => resolve()));
      const timeout = determineHitLimitReached(this.context.hitCount, this.context.hitLimit);
      if (timeout) return timeout;
      if (!Collector.current) return { status: DryRunStatus.Error, errorMessage: "mocha12: mocha ran without the collector" };
      return { status: DryRunStatus.Complete, tests: Collector.current.tests };
    } catch (error) {
      return { status: DryRunStatus.Error, errorMessage: String(error?.stack ?? error) };
    }
  }

  async dispose() {
    try {
      this.mocha?.dispose();
    } catch (error) {
      if (error?.code !== "ERR_MOCHA_INSTANCE_ALREADY_RUNNING") throw error;
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, "mocha12", Mocha12Runner)];

export const strykerValidationSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    mocha12: {
      type: "object",
      description: "Options of scripts/stryker-mocha-runner.mjs",
      properties: { spec: { type: "array", items: { type: "string" } }, require: { type: "array", items: { type: "string" } } },
      additionalProperties: false,
    },
  },
};
