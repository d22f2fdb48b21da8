/**
 * Whether the CLI colours its messages (stderr: errors, carets, hints). `--color always|never`
 * decides; with `auto` (the default), `FORCE_COLOR` (any value but `0` or `false`) turns colour on
 * and `FORCE_COLOR=0|false` off, else `NO_COLOR` (any non-empty value) turns it off, else colour is
 * on when stderr is a terminal whose `TERM` is not `dumb`. Standard output (tables, plans, JSON)
 * is never coloured.
 */
import pc from "picocolors";
import { PLAIN, type Palette } from "./format-issues";

export const COLOR_MODES = ["auto", "always", "never"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** Decides colour from the `--color` mode, the environment and whether stderr is a terminal. */
export function colorEnabled(mode: ColorMode, env: NodeJS.ProcessEnv, stderrIsTerminal: boolean): boolean {
  if (mode !== "auto") return mode === "always";
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return !["0", "false"].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stderrIsTerminal && env.TERM !== "dumb";
}

/** The palette for a decision: ANSI colours, or identity functions. */
export function paletteFor(enabled: boolean): Palette {
  if (!enabled) return PLAIN;
  const colors = pc.createColors(true);
  return { red: colors.red, bold: colors.bold, dim: colors.dim, cyan: colors.cyan };
}
