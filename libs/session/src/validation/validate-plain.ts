import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '#libs/contracts';
import { flattenValidationErrors } from './flatten-errors.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validates a plain JSON value against a class-validator class; unknown fields are kept. */
export function validatePlain<T extends object>(type: ClassConstructor<T>, plain: unknown, prefix = ''): Validated<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: [{ field: prefix || '(root)', message: `${prefix || 'value'} must be an object` }] };
  }
  const value = plainToInstance(type, plain);
  const errors = validateSync(value, { forbidUnknownValues: false });
  return errors.length ? { ok: false, errors: flattenValidationErrors(errors, prefix) } : { ok: true, value };
}
