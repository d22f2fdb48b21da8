/**
 * The `dstack-pulumi` command line: runs the program of `program.ts`, maps commander's usage
 * errors to exit code 2 (as JSON with `--json`), decides colours and never throws.
 */
import { CommanderError, type Command } from "commander";
import { colorEnabled, paletteFor, type ColorMode } from "./color";
import { EXIT, fail } from "./failure";
import { PLAIN } from "./format-issues";
import { buildProgram } from "./program";
import type { Output } from "./validate";

function terminalOutput(): Output {
  // A reader that goes away (`| head`) ends the output, not the program with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), palette: PLAIN };
}

/** True when the command line asks for JSON (before a `--` that ends the options). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/** Commander's message for the error object: without its `error: ` prefix, and words for a missing command. */
function usageMessage(error: CommanderError): string {
  if (error.code === "commander.help") return "a command is missing (dstack-pulumi --help lists them)";
  return error.message.replace(/^error: /, "");
}

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code, or a promise of it for
 * the commands that wait (`plan`, `catalog update`). Never throws. Without `output`, it writes to
 * the process's streams and colours them by `--color`, `FORCE_COLOR`, `NO_COLOR` and the terminal;
 * an `output` given (tests) keeps its palette unless `--color always|never` is given.
 */
export function main(argv: string[], output?: Output): number | Promise<number> {
  const out = output ?? terminalOutput();
  const json = wantsJson(argv);
  let code = 0 as number | Promise<number>;
  try {
    const program = buildProgram(out, (c) => {
      code = c; // not returned: commander would hold an async command's promise unhandled
    }, json);
    program.hook("preAction", (_program: Command, command: Command) => {
      const mode = command.optsWithGlobals().color as ColorMode | undefined;
      if (output === undefined || mode !== undefined) out.palette = paletteFor(colorEnabled(mode ?? "auto", process.env, output === undefined && Boolean(process.stderr.isTTY)));
    });
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) return internalError(error, out, json);
    if (error.exitCode === 0) return EXIT.ok;
    return json ? fail(out, true, { code: "usage", message: usageMessage(error) }) : EXIT.usage;
  }
  return code instanceof Promise ? code.catch((error: unknown) => internalError(error, out, json)) : code;
}

/** A bug: one line (or the error object), exit 70. */
function internalError(error: unknown, output: Output, json: boolean): number {
  return fail(output, json, { code: "internal", message: `internal error: ${(error as Error).message}` });
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code));
}
