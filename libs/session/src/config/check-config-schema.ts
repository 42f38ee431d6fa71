import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

export interface SchemaCheck<T> {
  /** The value as an instance of the schema, also when it has problems (null when it is not an object). */
  value: T | null;
  problems: string[];
}

/**
 * Checks a plain config object against a class-validator schema and refuses keys the schema
 * does not declare. The known keys are the schema's decorated properties, so a setting added
 * to a schema class is known here without further listing. Every problem is returned, named
 * by its path (`shops.a.session.maxAge: ...`); an unknown key comes with the nearest known one.
 */
export function checkConfigSchema<T extends object>(type: ClassConstructor<T>, plain: unknown, path = ''): SchemaCheck<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { value: null, problems: [`${path || '(root)'}: must be an object`] };
  }
  const value = plainToInstance(type, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  return { value, problems: describeErrors(errors, path) };
}

function describeErrors(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push(constraint === 'whitelistValidation' ? unknownKey(field, error.property, error.target) : `${field}: ${message}`);
    }
    if (error.children?.length) out.push(...describeErrors(error.children, field));
  }
  return out;
}

function unknownKey(field: string, key: string, target: object | undefined): string {
  const known = target ? knownKeys(target.constructor as abstract new (...args: never[]) => unknown) : [];
  const nearest = nearestKey(key, known);
  const hint = nearest ? `did you mean "${nearest}"?` : known.length ? `known keys here: ${known.join(', ')}` : 'no keys are allowed here';
  return `${field}: unknown key "${key}" (${hint})`;
}

/** The properties a schema class (and the classes it extends) declares through decorators. */
export function knownKeys(schema: abstract new (...args: never[]) => unknown): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/** The known key closest to `key` (case-insensitive edit distance), if it is close enough to be a typo. */
export function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
