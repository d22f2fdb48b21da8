/**
 * The `dstack-pulumi` command line.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { SUPPORTED_BACKENDS } from "../catalog/types";
import { DEFAULT_CATALOG_OUT, DEFAULT_OFFER_LIMIT } from "./defaults";
import { PLAIN, type Palette } from "./format-issues";
import type { CatalogUpdateCliOptions } from "./catalog-update";
import type { PlanOptions } from "./plan";
import type { OffersOptions } from "./offers";
import type { Output } from "./validate";

// Each command's module is loaded when that command runs: `validate` does not pay for the
// catalog, the offers table or Pulumi.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  validate: () => require("./validate") as typeof import("./validate"),
  offers: () => require("./offers") as typeof import("./offers"),
  lock: () => require("./lock") as typeof import("./lock"),
  plan: () => require("./plan") as typeof import("./plan"),
  catalogUpdate: () => require("./catalog-update") as typeof import("./catalog-update"),
  schema: () => require("../config/json-schema") as typeof import("../config/json-schema"),
};
/* eslint-enable @typescript-eslint/no-require-imports */


function terminalOutput(): Output {
  // A reader that goes away (`| head`) ends the output, not the program with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const colors = pc.createColors(Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
  const palette: Palette = colors.isColorSupported ? { red: colors.red, bold: colors.bold, dim: colors.dim, cyan: colors.cyan } : PLAIN;
  return { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), palette };
}

/** Builds the program; `exit` receives the exit code of the command that ran. */
export function buildProgram(output: Output, exit: (code: number | Promise<number>) => void): Command {
  const program = new Command("dstack-pulumi")
    .description("Read dstack dev-environment configurations (.dstack.yml) and deploy them with Pulumi")
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .showHelpAfterError();
  program
    .command("validate")
    .description("check configuration files; prints every problem with its position")
    .option("--json", "one JSON object per file: the normalised configuration or the errors")
    .argument("<files...>", "configuration files (- for standard input)")
    .action((files: string[], options: { json?: boolean }) => exit(commands.validate().runValidate(files, options, output)));
  program
    .command("offers")
    .description("the machines that satisfy a configuration, per backend and region, cheapest first")
    .option("--json", "print JSON: the catalog stamp, the offers and their total")
    .option("--backend <backend>", "only this backend (aws or gcp); repeat for more", collect)
    .option("--region <region>", "only this region; repeat for more", collect)
    .addOption(new Option("--spot-policy <policy>", "spot, on-demand or auto (default: the file's, else on-demand)").choices(["spot", "on-demand", "auto"]))
    .option("--max-price <usd>", "the highest price per hour", positiveNumber)
    .option("--limit <n>", `show at most N offers, 0 for all (default: ${DEFAULT_OFFER_LIMIT})`, count)
    .option("--catalog <file>", "a catalog file (from `catalog update`) instead of the bundled one")
    .argument("<file>", "the configuration (- for standard input)")
    .action((file: string, options: OffersOptions) => exit(commands.offers().runOffers(file, options, output)));
  program
    .command("plan")
    .description("what `pulumi up` would create and what it would cost, offline (the real component under Pulumi's mock runtime)")
    .option("--json", "print JSON (documented in the README)")
    .option("--catalog <file>", "a catalog file instead of the bundled one")
    .option("--ssh-public-key <file>", "your public key (default: a placeholder, so the output is the same on every machine)")
    .option("--allowed-cidr <cidr>", "a network allowed to reach SSH; repeat for more (default: the world, with a warning)", collect)
    .option("--no-repo", "plan /workflow empty (default: the git repository holding FILE, as pulumi up clones it)")
    .argument("<file>", "the configuration (- for standard input)")
    .action((file: string, options: PlanOptions) => exit(commands.plan().runPlan(file, options, output)));
  program
    .command("lock")
    .description("lock the top offer for a configuration: the component keeps it while it satisfies the file")
    .option("--backend <backend>", "only this backend (aws or gcp); repeat for more", collect)
    .option("--region <region>", "only this region; repeat for more", collect)
    .addOption(new Option("--spot-policy <policy>", "spot, on-demand or auto").choices(["spot", "on-demand", "auto"]))
    .option("--max-price <usd>", "the highest price per hour", positiveNumber)
    .option("--catalog <file>", "a catalog file instead of the bundled one")
    .argument("<file>", "the configuration; the lock is written next to it (.dstack.yml -> .dstack.lock.json)")
    .action((file: string, options: OffersOptions) => exit(commands.lock().runLock(file, options, output)));
  const catalog = program.command("catalog").description("the catalog of machines and prices");
  catalog
    .command("update")
    .description("rebuild the catalog from the AWS and GCP APIs with your credentials (needs the optional cloud SDKs)")
    .option("--out <file>", "the catalog file to write (an existing one is updated)", DEFAULT_CATALOG_OUT)
    .option("--backend <backend>", "rebuild only this cloud (aws or gcp); repeat for both", collectChoice(SUPPORTED_BACKENDS))
    .option("--region <region>", "rebuild only this region; repeat for more", collect)
    .action((options: CatalogUpdateCliOptions) => exit(commands.catalogUpdate().runCatalogUpdateCommand(options, output)));
  program
    .command("schema")
    .description("print the JSON Schema of .dstack.yml (for yaml-language-server and other editors)")
    .action(() => {
      output.stdout(JSON.stringify(commands.schema().jsonSchema(), null, 2) + "\n");
      exit(0);
    });
  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects repeated values, each one of `choices`. */
function collectChoice(choices: readonly string[]) {
  return (value: string, previous: string[] | undefined): string[] => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(", ")}.`);
    return collect(value, previous);
  };
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || value.trim() === "") throw new InvalidArgumentError("expected a positive number of USD per hour, e.g. 2.5");
  return number;
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, 0 for all");
  return Number(value);
}

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code, or a promise of it for
 * commands that wait on the network (`catalog update`). Never throws.
 */
export function main(argv: string[], output: Output = terminalOutput()): number | Promise<number> {
  let code = 0 as number | Promise<number>;
  try {
    buildProgram(output, (c) => {
      code = c; // not returned: commander would hold an async command's promise unhandled
    }).parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return internalError(error, output);
  }
  return code instanceof Promise ? code.catch((error: unknown) => internalError(error, output)) : code;
}

function internalError(error: unknown, output: Output): number {
  output.stderr(`dstack-pulumi: internal error: ${(error as Error).message}\n`);
  return 3;
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code));
}
