/**
 * A deep copy of plain data made in the caller's realm. structuredClone's objects come from
 * another realm under Jest's VM, so toStrictEqual rejects them for their prototype.
 */
export const deepCopy = <T>(value: T): T =>
  (Array.isArray(value)
    ? value.map(deepCopy)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]))
      : value) as T;

/** Freezes plain data all the way down, so that any mutation throws at once (ES modules run in strict mode). */
export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
};
