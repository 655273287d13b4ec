import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

// RFC 3339 date-time (its ABNF, section 5.6): full date, 'T', full time with seconds,
// optional fraction, and a mandatory offset or Z. "2030-01-01T10" or "2030-W01-1" are
// ISO 8601 but not this, and no other reading of a date exists in the suite.
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

// Epoch milliseconds, or undefined for anything but a real instant in that format (month
// 13, 31 April, 29 February outside a leap year, hour 24, a leap second).
export function parseRfc3339DateTime(text: string): number | undefined {
  const match = RFC3339_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // Leap seconds (second 60) have no JavaScript time; refusing them is the honest answer.
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHour = Number(match[10]);
    const offsetMinute = Number(match[11]);
    if (offsetHour > 23 || offsetMinute > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  }
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  const epochMs = utc.getTime() - offsetMinutes * 60_000;
  return Number.isFinite(epochMs) ? epochMs : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// A DTO property holding an RFC 3339 date-time. The string is parsed once, here, and the
// handler receives the Date; a string that is not a real instant, or a non-string, is a
// 400 naming the field.
export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const epochMs = parseRfc3339DateTime(value);
      return epochMs === undefined ? value : new Date(epochMs);
    }),
    ValidateBy(
      {
        name: 'isRfc3339DateTime',
        validator: {
          validate: (value: unknown) => value instanceof Date && Number.isFinite(value.getTime()),
          defaultMessage: (args) =>
            `${args?.property ?? 'value'} must be an RFC 3339 date-time with seconds and an offset, e.g. 2030-01-01T10:00:00Z`,
        },
      },
      options,
    ),
  );
}
