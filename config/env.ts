/**
 * `env`: a list (`- NAME=value`, `- NAME`) or a mapping (`NAME: value`). A bare name is a
 * variable whose value is supplied at deploy time (dstack takes it from the CLI's environment).
 */
import { ErrorSink, GrammarError, setOwn, show, toMapping, toSeedMapping, toStr, typeError, within } from "./coerce";
import { isPyNumber } from "./py-values";

/** A variable whose value is supplied at deploy time; serialised as `{"key": NAME}`. */
export interface EnvPlaceholder {
  key: string;
}

export type EnvValue = string | EnvPlaceholder;

export function isEnvPlaceholder(value: EnvValue): value is EnvPlaceholder {
  return typeof value === "object";
}

function parseListItem(item: unknown): [string, EnvValue] {
  const text = toStr(item);
  const equals = text.indexOf("=");
  if (equals < 0) return [text, { key: text }];
  return [text.slice(0, equals), text.slice(equals + 1)];
}

function parseMappingValue(value: unknown): EnvValue {
  if (typeof value === "string" || typeof value === "boolean" || isPyNumber(value)) return toStr(value);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const mapping = toMapping(value);
    const keys = Object.keys(mapping);
    if (keys.length === 1 && keys[0] === "key") return { key: within("key", () => toStr(mapping.key)) };
  }
  if (value === null) {
    throw new GrammarError(
      "an env value cannot be null: give a value, or list the bare name (- NAME) to take it from the environment at deploy time",
      "invalid_type",
    );
  }
  throw typeError("a string value", value);
}

/** Parses `env` in either form into a name -> value mapping (insertion order kept). */
export function parseEnv(value: unknown): Record<string, EnvValue> {
  const result: Record<string, EnvValue> = {};
  if (Array.isArray(value)) {
    const firstIndex = new Map<string, number>();
    const sink = new ErrorSink();
    value.forEach((item, index) => {
      const parsed = sink.run(index, () => parseListItem(item));
      if (!parsed) return;
      const [name, entry] = parsed;
      const first = firstIndex.get(name);
      if (first !== undefined) {
        sink.run(index, () => {
          throw new GrammarError(`duplicate environment variable ${show(name)}: first set at env[${first}]; each name may appear once`, "conflict");
        });
        return;
      }
      firstIndex.set(name, index);
      setOwn(result, name, entry);
    });
    sink.done();
    return result;
  }
  if ((value !== null && typeof value === "object") || value === "") {
    const sink = new ErrorSink();
    for (const [name, entry] of Object.entries(toSeedMapping(value, "a list or mapping of variables"))) {
      const parsed = sink.run(name, () => parseMappingValue(entry));
      if (parsed !== undefined) setOwn(result, name, parsed);
    }
    sink.done();
    return result;
  }
  throw typeError('a list (- NAME=value) or a mapping (NAME: value) of environment variables', value);
}
