import type { FieldError } from '#libs/contracts';

/**
 * Keys refused anywhere in a request's `data`: they name the prototype machinery, which
 * class-transformer and spreads would treat as more than plain data.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** At most this many errors are reported; a hostile payload may contain thousands. */
const MAX_REPORTED = 10;

/**
 * Checks a parsed JSON value without recursion (a 10,000-deep value must not exhaust the
 * stack): no object or array nested deeper than `maxDepth` below `root`, and no key in
 * FORBIDDEN_KEYS. Fields are reported as dotted paths (`data.customData.a.__proto__`).
 */
export function jsonShapeErrors(value: unknown, root: string, maxDepth: number): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (pending.length > 0 && errors.length < MAX_REPORTED) {
    const node = pending.pop()!;
    if (node.value === null || typeof node.value !== 'object') continue;
    if (node.depth > maxDepth) {
      errors.push({ field: node.path, message: `nested deeper than ${maxDepth} levels below ${root}` });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(node.value)
      ? node.value.map((item, index) => [String(index), item])
      : Object.entries(node.value);
    for (const [key, child] of entries) {
      const path = `${node.path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) errors.push({ field: path, message: `the key "${key}" is not allowed` });
      else pending.push({ value: child, path, depth: node.depth + 1 });
    }
  }
  return errors.slice(0, MAX_REPORTED);
}
