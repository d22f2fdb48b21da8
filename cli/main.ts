/**
 * The `dstack-pulumi` command line.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { jsonSchema } from "../config/schema";
import { PLAIN, type Palette } from "./format-issues";
import { DEFAULT_OFFER_LIMIT, runOffers, type OffersOptions } from "./offers";
import { runValidate, type Output } from "./validate";

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
export function buildProgram(output: Output, exit: (code: number) => void): Command {
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
    .action((files: string[], options: { json?: boolean }) => exit(runValidate(files, options, output)));
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
    .action((file: string, options: OffersOptions) => exit(runOffers(file, options, output)));
  program
    .command("schema")
    .description("print the JSON Schema of .dstack.yml (for yaml-language-server and other editors)")
    .action(() => {
      output.stdout(JSON.stringify(jsonSchema(), null, 2) + "\n");
      exit(0);
    });
  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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

/** Runs the CLI with `argv` (without node and script); returns the exit code. Never throws. */
export function main(argv: string[], output: Output = terminalOutput()): number {
  let code = 0;
  try {
    buildProgram(output, (c) => (code = c)).parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    output.stderr(`dstack-pulumi: internal error: ${(error as Error).message}\n`);
    return 3;
  }
  return code;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
