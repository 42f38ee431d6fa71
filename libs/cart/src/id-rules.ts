import { validationFailed, type Violation } from './violation.js';

/**
 * Checks an id: a string that is not blank and at most `maxLength` characters. Characters are
 * counted as code points (as class-validator's MaxLength does), so an emoji counts once.
 * Takes `unknown` because the value may come straight from a JSON payload.
 */
export function checkId(field: string, value: unknown, maxLength: number): Violation[] {
  if (typeof value !== 'string' || value.trim() === '') {
    return [validationFailed(field, `${field} must be a non-empty string`)];
  }
  const length = [...value].length;
  if (length > maxLength) {
    return [validationFailed(field, `${field} is ${length} characters; the limit is ${maxLength}`)];
  }
  return [];
}
