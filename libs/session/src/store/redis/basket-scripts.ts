import { DOCUMENT, lua } from './lua-fragments.js';

/**
 * Versioned documents (see DOCUMENT in lua-fragments.ts). KEYS: document.
 * ARGV: expectedVersion, json, ttlMs. Returns the new version, or 0 when the stored version
 * differs (nothing written).
 */
export const COMPARE_AND_SET = lua(
  DOCUMENT,
  `
local v = doc_version(KEYS[1])
if v ~= tonumber(ARGV[1]) then return 0 end
doc_set(KEYS[1], v, ARGV[2], ARGV[3])
return v + 1
`,
);

/** KEYS: document. ARGV: expectedVersion. Returns 1 when deleted (or already absent at version 0), 0 on conflict. */
export const COMPARE_AND_DELETE = lua(
  DOCUMENT,
  `
if doc_version(KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);
