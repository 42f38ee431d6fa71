/** The last instant a 4-digit year can show (10000-01-01T00:00:00.000Z, exclusive). */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
const DAY_MS = 86_400_000;

/**
 * `new Date(ms).toISOString()`, computed in JavaScript: V8 formats through snprintf, which
 * cost about 0.5 µs per date, and every response carries one or two. Instants outside
 * 1970-9999 (never a session's) are left to Date.
 */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < MAX_FOUR_DIGIT_YEAR_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const [year, month, day] = civilDate(days);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Year, month (1-12) and day of a day count since 1970-01-01, in the proleptic Gregorian calendar (H. Hinnant's civil_from_days). */
function civilDate(daysSinceEpoch: number): [number, number, number] {
  const z = daysSinceEpoch + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097); // 400-year cycles
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100)); // from March 1st
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
