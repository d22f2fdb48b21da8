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
  return { code, stdout, stderr };
}
