/**
 * The `dstack-pulumi` commands and their flags (commander). Each command's module is loaded when
 * that command runs: `validate` does not pay for the catalog, the offers table or Pulumi.
 */
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { SUPPORTED_BACKENDS } from "../catalog/types";
import { COLOR_MODES } from "./color";
import { DEFAULT_CATALOG_OUT, DEFAULT_OFFER_LIMIT } from "./defaults";
import type { CatalogUpdateCliOptions } from "./catalog-update";
import type { PlanOptions } from "./plan";
import type { DiffOptions } from "./diff";
import type { Gate } from "./diff-gates";
import type { UpOptions } from "./up";
import type { OffersOptions } from "./offers";
import type { Output } from "./validate";
import { packageVersion } from "./version";

/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  validate: () => require("./validate") as typeof import("./validate"),
  offers: () => require("./offers") as typeof import("./offers"),
  lock: () => require("./lock") as typeof import("./lock"),
  plan: () => require("./plan") as typeof import("./plan"),
  diff: () => require("./diff") as typeof import("./diff"),
  diffGates: () => require("./diff-gates") as typeof import("./diff-gates"),
  up: () => require("./up") as typeof import("./up"),
  catalogUpdate: () => require("./catalog-update") as typeof import("./catalog-update"),
  schema: () => require("../config/json-schema") as typeof import("../config/json-schema"),
  completion: () => require("./completion") as typeof import("./completion"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The flags `offers`, `plan` and `lock` share: where to look, how to buy, the price cap and the catalog. */
function offerOptions(command: Command): Command {
  return command
    .option("--backend <backend>", "only this backend (aws or gcp); repeat for more", collect)
    .option("--region <region>", "only this region; repeat for more", collect)
    .addOption(new Option("--spot-policy <policy>", "spot, on-demand or auto (default: the file's, else on-demand)").choices(["spot", "on-demand", "auto"]))
    .option("--max-price <usd>", "the highest price per hour", positiveNumber)
    .option("--catalog <file>", "a catalog file (from `catalog update`) instead of the bundled one");
}

/**
 * Builds the program; `exit` receives the exit code of the command that ran. With `json` (the
 * command line has `--json`), commander's own messages (usage errors, help after an error) are not
 * written: the caller reports the error as JSON; and `--version` prints `{"version": V}`.
 */
export function buildProgram(output: Output, exit: (code: number | Promise<number>) => void, json = false): Command {
  const version = json ? JSON.stringify({ version: packageVersion() }, null, 2) : packageVersion();
  const program = new Command("dstack-pulumi")
    .description("Read dstack dev-environment configurations (.dstack.yml) and deploy them with Pulumi")
    .addOption(new Option("--color <when>", "colour the messages on stderr: auto (a terminal, FORCE_COLOR, NO_COLOR), always or never").choices(COLOR_MODES))
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError();
  program
    .command("validate")
    .description("check configuration files; prints every problem with its position")
    .option("--json", "one JSON object per file: the normalised configuration or the errors")
    .argument("<files...>", "configuration files (- for standard input)")
    .action((files: string[], options: { json?: boolean }) => exit(commands.validate().runValidate(files, options, output)));
  offerOptions(
    program
      .command("offers")
      .description("the machines that satisfy a configuration, per backend and region, cheapest first")
      .option("--json", "print JSON: the catalog stamp, the offers and their total"),
  )
    .option("--limit <n>", `show at most N offers, 0 for all (default: ${DEFAULT_OFFER_LIMIT})`, count)
    .argument("<file>", "the configuration (- for standard input)")
    .action((file: string, options: OffersOptions) => exit(commands.offers().runOffers(file, options, output)));
  offerOptions(
    program
      .command("plan")
      .description("what `pulumi up` would create and what it would cost, offline (the real component under Pulumi's mock runtime)")
      .option("--json", "print JSON (documented in the README)"),
  )
    .option("--ssh-public-key <file>", "your public key (default: a placeholder, so the output is the same on every machine)")
    .option("--allowed-cidr <cidr>", "a network allowed to reach SSH; repeat for more (default: the world, with a warning)", collect)
    .option("--no-repo", "plan /workflow empty (default: the git repository holding FILE, as pulumi up clones it)")
    .argument("<file>", "the configuration (- for standard input)")
    .action((file: string, options: PlanOptions) => exit(commands.plan().runPlan(file, options, output)));
  program
    .command("diff")
    .description("what a change to configurations does, offline: offer and cost, each resource's change and why, the volumes, the boot script")
    .option("--json", "print JSON (documented in the README)")
    .option("--markdown", "print a pull-request comment: a summary table, the details collapsed")
    .option("--base <ref>", "compare PATH at this git revision (a branch, tag or commit) with PATH now")
    .option("--fail-on <gate>", "exit 4 when a gate trips: replace, volume or cost:+N (USD per month); repeat or separate with commas", (value: string, previous: Gate[] | undefined) => commands.diffGates().collectGates(value, previous))
    .option("--catalog <file>", "a catalog file (from `catalog update`) instead of the bundled one")
    .option("--no-repo", "plan /workflow empty (default: the git repository holding HEAD, the same for both sides)")
    .argument("<paths...>", "BASE HEAD (files, folders or REF:PATH), or one PATH (a file, folder or quoted glob) with --base")
    .action((paths: string[], options: DiffOptions) => exit(commands.diff().runDiff(paths, options, output)));
  offerOptions(
    program
      .command("lock")
      .description("lock the top offer for a configuration: the component keeps it while it satisfies the file")
      .option("--json", "print JSON: the lock file, the offer, its zone and the lock it replaced"),
  )
    .argument("<file>", "the configuration; the lock is written next to it (.dstack.yml -> .dstack.lock.json)")
    .action((file: string, options: OffersOptions) => exit(commands.lock().runLock(file, options, output)));
  program
    .command("up")
    .description("pulumi up of your stack (your Pulumi CLI); with retry in FILE, on no capacity it locks the next offer and runs again until retry.duration")
    .option("--json", "one JSON event per line (attempt, capacity_error, lock_written, waiting, done); a failure ends with the error object")
    .option("--stack <stack>", "the Pulumi stack to update (required)")
    .option("--cwd <dir>", "the Pulumi project's folder (default: the current folder)")
    .option("--refresh", "refresh the stack before each update (pulumi up --refresh)")
    .option("--wait <seconds>", "once every offer was tried, wait this long before trying them again (default: 60)", seconds)
    .option("--catalog <file>", "a catalog file (from `catalog update`) instead of the bundled one")
    .argument("<file>", "the configuration the program deploys; its lock (next to it) is what the loop writes")
    .action((file: string, options: UpOptions) => exit(commands.up().runUp(file, options, output)));
  const catalog = program.command("catalog").description("the catalog of machines and prices");
  catalog
    .command("update")
    .description("rebuild the catalog from the AWS and GCP APIs with your credentials (needs the optional cloud SDKs)")
    .option("--json", "print JSON: the file written and what it holds")
    .option("--out <file>", "the catalog file to write (an existing one is updated)", DEFAULT_CATALOG_OUT)
    .option("--backend <backend>", "rebuild only this cloud (aws or gcp); repeat for both", collectChoice(SUPPORTED_BACKENDS))
    .option("--region <region>", "rebuild only this region; repeat for more", collect)
    .action((options: CatalogUpdateCliOptions) => exit(commands.catalogUpdate().runCatalogUpdateCommand(options, output)));
  program
    .command("schema")
    .description("print the JSON Schema of .dstack.yml (for yaml-language-server and other editors)")
    .option("--json", "the same: the schema is JSON already")
    .action(() => {
      output.stdout(JSON.stringify(commands.schema().jsonSchema(), null, 2) + "\n");
      exit(0);
    });
  program
    .command("completion")
    .description("print the shell completion script (bash: source <(dstack-pulumi completion bash))")
    .option("--json", "print JSON: {shell, script}")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action((shell: Shell, options: { json?: boolean }) => {
      const script = commands.completion().completionScript(shell, program);
      output.stdout(options.json ? `${JSON.stringify({ shell, script }, null, 2)}\n` : script);
      exit(0);
    });
  forEachCommand(program, (command) => command.version(version, "-V, --version", "print the version").exitOverride().configureOutput({ writeOut: output.stdout, writeErr: json ? () => undefined : output.stderr }));
  return program;
}

/** Calls `visit` on a command and every command below it. */
export function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
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

function seconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number of seconds");
  return Number(value);
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, 0 for all");
  return Number(value);
}
