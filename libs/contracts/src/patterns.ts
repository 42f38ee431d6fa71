import { Contract } from './contract.js';

type PatternTable = { readonly [K in keyof typeof Contract]: (typeof Contract)[K]['pattern'] };

/** Message patterns of contract v1, by entry name; derived from the Contract table. */
export const Patterns = Object.freeze(
  Object.fromEntries(Object.entries(Contract).map(([name, entry]) => [name, entry.pattern])),
) as PatternTable;

export type Pattern = (typeof Patterns)[keyof typeof Patterns];
