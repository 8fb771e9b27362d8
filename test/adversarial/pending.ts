/**
 * Rows of the adversarial table that fail today because their hardening belongs to another open
 * issue or owner, by owner. They run and are counted; a row here that starts passing fails the test
 * until it is taken off this list, so the list only shrinks. Every module's rows pass: it is empty,
 * and a new row that fails must be fixed, not listed here, unless its owner is another open issue.
 */
const OWNED: Readonly<Record<string, readonly string[]>> = {};

export const PENDING: ReadonlyMap<string, string> = new Map(
  Object.entries(OWNED).flatMap(([owner, rows]) => rows.map((row) => [row, owner] as const)),
);
