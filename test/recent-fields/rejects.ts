/**
 * Assertions for the parsers of the recent dstack fields (test/recent-fields/*.test.ts): the exact
 * GrammarError, or GrammarErrors, a value is refused with.
 */
import assert from "node:assert/strict";
import { GrammarError, GrammarErrors } from "../../config/coerce";
import type { IssueCode } from "../../config/issues";

/** Asserts that `run` throws a GrammarError with exactly this message, code, subpath (and hint). */
export function rejects(run: () => unknown, message: string, code: IssueCode, subpath: Array<string | number> = [], hint?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GrammarError, `expected a GrammarError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    assert.deepStrictEqual(error.subpath, subpath);
    if (hint !== undefined) assert.equal(error.hint, hint);
    return true;
  });
}

export type Expected = [message: string, code: IssueCode, subpath: Array<string | number>];

/** Asserts that `run` throws GrammarErrors with exactly these problems, in this order. */
export function rejectsAll(run: () => unknown, expected: Expected[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GrammarErrors, `expected GrammarErrors, got ${String(error)}`);
    assert.deepStrictEqual(
      error.errors.map((item) => [item.message, item.code, item.subpath]),
      expected,
    );
    return true;
  });
}
