/** Running the CLI in-process for tests. */
import { main } from "../../cli/main";
import { PLAIN } from "../../cli/format-issues";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `argv`, from the repository root, collecting its output. */
export function run(...argv: string[]): Run {
  let stdout = "";
  let stderr = "";
  const code = main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), palette: PLAIN });
  if (typeof code !== "number") throw new Error(`${argv[0]} is asynchronous: use runAsync`);
  return { code, stdout, stderr };
}

/** Runs an asynchronous command (`catalog update`) in-process. */
export async function runAsync(...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), palette: PLAIN });
  return { code, stdout, stderr };
}
