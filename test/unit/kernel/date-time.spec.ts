/**
 * Goal: the API's DateTime accepts exactly RFC 3339 date-times with an offset and names the instant they
 * mean; impossible calendar dates (2024-02-30, 2023-02-29), times (24:00, :60), offsets (+24:00), date-only
 * strings, numbers and anything else JavaScript's Date would guess at are not dates (and are then refused as
 * INVALID_DATE by the resolvers). Method: worked examples at each boundary, and fast-check properties: any
 * instant in years 1–9999 written by toISOString, or written as local time at any offset, parses back to
 * itself.
 */
import fc from 'fast-check';
import { Kind } from 'graphql';
import { DateTimeScalar, parseDateTime } from '../../../src/kernel/graphql/date-time.scalar.js';

const instants = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('parseDateTime', () => {
  it.each([
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T12:30:15.250Z', Date.UTC(2000, 1, 29, 12, 30, 15, 250)],
    ['2024-12-31T23:59:59.999Z', Date.UTC(2024, 11, 31, 23, 59, 59, 999)],
    ['2024-06-01T02:00:00+02:00', Date.UTC(2024, 5, 1, 0, 0, 0)],
    ['2024-06-01T00:00:00-05:30', Date.UTC(2024, 5, 1, 5, 30, 0)],
    ['2024-06-01t00:00:00z', Date.UTC(2024, 5, 1)],
    ['2024-06-01T00:00:00.123456789Z', Date.UTC(2024, 5, 1, 0, 0, 0, 123)],
    ['2024-06-01T00:00:00.5Z', Date.UTC(2024, 5, 1, 0, 0, 0, 500)],
    ['0050-01-01T00:00:00Z', new Date('0050-01-01T00:00:00Z').getTime()],
  ])('%s is the instant it names', (text, expected) => {
    expect(parseDateTime(text)).toBe(expected);
  });

  it.each([
    ['2024-02-30T00:00:00Z', 'February has no 30th'],
    ['2023-02-29T00:00:00Z', '2023 is not a leap year'],
    ['1900-02-29T00:00:00Z', '1900 is not a leap year'],
    ['2024-04-31T00:00:00Z', 'April has 30 days'],
    ['2024-13-01T00:00:00Z', 'month 13'],
    ['2024-00-10T00:00:00Z', 'month 0'],
    ['2024-01-00T00:00:00Z', 'day 0'],
    ['2024-01-01T24:00:00Z', 'hour 24'],
    ['2024-01-01T00:60:00Z', 'minute 60'],
    ['2024-01-01T00:00:60Z', 'second 60'],
    ['2024-01-01T00:00:00+24:00', 'offset of 24 hours'],
    ['2024-01-01T00:00:00+01:60', 'offset minute 60'],
    ['2024-01-01T00:00:00', 'no offset'],
    ['2024-01-01', 'a date without a time'],
    ['2024-1-1T00:00:00Z', 'one-digit month and day'],
    ['+275760-09-14T00:00:00Z', 'an extended year'],
    ['2024-01-01T00:00:00.Z', 'an empty fraction'],
    ['Mon, 01 Jan 2024 00:00:00 GMT', 'an HTTP date'],
    [' 2024-01-01T00:00:00Z', 'leading space'],
    ['yesterday', 'words'],
    ['', 'nothing'],
  ])('%s is not a date-time (%s)', (text) => {
    expect(parseDateTime(text)).toBeNaN();
  });

  it('reads back every instant of years 1 to 9999 as toISOString writes it', () => {
    fc.assert(fc.property(instants, (date) => parseDateTime(date.toISOString()) === date.getTime()));
  });

  it('reads back every instant written as local time at any offset within a day', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), (date, offsetMinutes) => {
        const local = new Date(date.getTime() + offsetMinutes * 60_000);
        const year = local.getUTCFullYear();
        fc.pre(year >= 1 && year <= 9999);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const magnitude = Math.abs(offsetMinutes);
        const offset = `${sign}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`;
        const text = local.toISOString().replace('Z', offset);
        return parseDateTime(text) === date.getTime();
      }),
    );
  });

  it('keeps the year 1 as the year 1 (Date.UTC would read it as 1901)', () => {
    expect(new Date(parseDateTime('0001-01-01T00:00:00Z')).getUTCFullYear()).toBe(1);
    expect(new Date(parseDateTime('0099-12-31T23:59:59Z')).getUTCFullYear()).toBe(99);
  });
});

describe('DateTimeScalar', () => {
  it('turns anything but a string into a date that is not one (refused downstream as INVALID_DATE)', () => {
    for (const value of [0, 1e20, {}, [], true, null]) {
      expect(Number.isNaN(DateTimeScalar.parseValue(value).getTime())).toBe(true);
    }
    expect(Number.isNaN(DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '5' }).getTime())).toBe(true);
  });

  it('parses string literals and variables alike, and answers in UTC', () => {
    const text = '2024-02-29T10:00:00+01:00';
    const fromVariable = DateTimeScalar.parseValue(text);
    const fromLiteral = DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: text });
    expect(fromVariable.getTime()).toBe(Date.UTC(2024, 1, 29, 9));
    expect(fromLiteral.getTime()).toBe(fromVariable.getTime());
    expect(DateTimeScalar.serialize(fromVariable)).toBe('2024-02-29T09:00:00.000Z');
  });
});

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
