/**
 * Goal: the shapes people and integrations present are judged as documented: emails compared after
 * trimming and lower-casing and accepted only when plausible and at most 254 characters; passwords of
 * 12 to 256 characters counted in code points, with at least four different characters, and not the
 * person's email or name; tokens `<uuid>.<43 base64url>` (API tokens prefixed `cwl_`) parsed back exactly
 * and nothing else accepted. Method: worked examples at each boundary, with the negative space beside
 * them, plus fast-check properties: parse(format(x)) == x for random lowercase UUIDs and secrets, and any
 * extra character, missing character, wrong prefix or foreign character makes parsing fail.
 */
import fc from 'fast-check';
import {
  API_TOKEN_PREFIX,
  EMAIL_MAX_LENGTH,
  formatApiToken,
  formatRefreshToken,
  isPlausibleEmail,
  normalizeEmail,
  parseApiToken,
  parseRefreshToken,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  type SplitToken,
} from '../../../src/auth/rules/credentials.js';

const ID = '0b9d6f2e-3c1a-4e5b-8f7d-1a2b3c4d5e6f';
const SECRET = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
const ME = { email: 'Ada@Example.org', name: 'Ada Lovelace' };

describe('normalizeEmail', () => {
  it('trims surrounding whitespace and lower-cases', () => {
    expect(normalizeEmail('  Ada@Example.ORG \n')).toBe('ada@example.org');
    expect(normalizeEmail('\tADA.L+ledger@EXAMPLE.org')).toBe('ada.l+ledger@example.org');
  });

  it('leaves inner whitespace and everything else alone (plausibility is a separate question)', () => {
    expect(normalizeEmail('a b@c.d')).toBe('a b@c.d');
    expect(normalizeEmail('')).toBe('');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        expect(normalizeEmail(normalizeEmail(raw))).toBe(normalizeEmail(raw));
      }),
    );
  });

  it('makes emails that differ only in case and surrounding spaces equal (property)', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.boolean(),
        fc.string({ unit: fc.constantFrom(' ', '\t', '\n') }),
        (email, upper, pad) => {
          const variant = `${pad}${upper ? email.toUpperCase() : email}${pad}`;
          expect(normalizeEmail(variant)).toBe(normalizeEmail(email));
        },
      ),
    );
  });
});

describe('isPlausibleEmail', () => {
  it.each(['ada@example.org', 'a@b.c', 'ada.l+ledger@mail.example.co.uk', 'ÅDA@exämple.org', 'x@y.z.'])(
    'accepts %s',
    (email) => expect(isPlausibleEmail(email)).toBe(true),
  );

  it.each([
    '',
    'ada',
    'ada@',
    '@example.org',
    'ada@example',
    'ada@@example.org',
    'ada@exa@mple.org',
    'ada lovelace@example.org',
    'ada@example .org',
    ' ada@example.org',
    'ada@example.org\n',
    'ada@.org',
  ])('refuses %j', (email) => {
    expect(isPlausibleEmail(email)).toBe(false);
  });

  it(`accepts up to ${EMAIL_MAX_LENGTH} characters, not one more`, () => {
    const domain = '@example.org';
    const longest = `${'a'.repeat(EMAIL_MAX_LENGTH - domain.length)}${domain}`;
    expect(longest.length).toBe(EMAIL_MAX_LENGTH);
    expect(isPlausibleEmail(longest)).toBe(true);
    expect(isPlausibleEmail(`a${longest}`)).toBe(false);
  });

  it('accepts what fast-check calls an email address, when short enough (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        fc.pre(email.includes('.', email.indexOf('@')));
        expect(isPlausibleEmail(email)).toBe(email.length <= EMAIL_MAX_LENGTH);
      }),
    );
  });
});

describe('passwordProblem', () => {
  const problem = (password: string, context = ME) => passwordProblem(password, context);

  it('accepts a sound password', () => {
    expect(problem('correct horse battery')).toBeNull();
    expect(problem('abcdabcdabcd')).toBeNull(); // 12 characters, 4 different: just enough of both
  });

  it(`too short: under ${PASSWORD_MIN_LENGTH} characters`, () => {
    expect(problem('')).toMatch(/at least 12/);
    expect(problem('abcdefghijk')).toMatch(/at least 12/);
    expect(problem('abcdefghijkl')).toBeNull();
  });

  it('length counts code points: 11 emoji (22 UTF-16 units) are too short, 12 distinct ones are fine', () => {
    const eleven = '😀😁😂🤣😃😄😅😆😉😊😋';
    expect(eleven.length).toBe(22);
    expect(problem(eleven)).toMatch(/at least 12/);
    expect(problem(`${eleven}😎`)).toBeNull();
  });

  it(`too long: over ${PASSWORD_MAX_LENGTH} characters, counted in code points`, () => {
    const cycle = (n: number, alphabet: readonly string[]) =>
      Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');
    expect(problem(cycle(PASSWORD_MAX_LENGTH, ['a', 'b', 'c', 'd']))).toBeNull();
    expect(problem(cycle(PASSWORD_MAX_LENGTH + 1, ['a', 'b', 'c', 'd']))).toMatch(/at most 256/);
    const emoji = ['😀', '😁', '😂', '🤣'];
    const longestEmoji = cycle(PASSWORD_MAX_LENGTH, emoji);
    expect(longestEmoji.length).toBe(2 * PASSWORD_MAX_LENGTH); // over the limit in UTF-16 units, yet fine
    expect(problem(longestEmoji)).toBeNull();
    expect(problem(`${longestEmoji}😀`)).toMatch(/at most 256/);
  });

  it('too few different characters: three or fewer, counted as code points and case-sensitively', () => {
    expect(problem('aaaaaaaaaaaa')).toMatch(/more than three different/);
    expect(problem('abcabcabcabcabcabc')).toMatch(/more than three different/);
    expect(problem('😀😁😂😀😁😂😀😁😂😀😁😂')).toMatch(/more than three different/);
    expect(problem('aAbBaAbBaAbB')).toBeNull(); // a, A, b, B: four
    expect(problem('😀😁😂🤣😀😁😂🤣😀😁😂🤣')).toBeNull();
  });

  it('is checked in order: length before variety before identity', () => {
    expect(problem('aaa')).toMatch(/at least/);
    expect(problem('a'.repeat(300))).toMatch(/at most/);
    // Equal to the email, and too uniform: variety is reported first.
    expect(problem('aaaaaaaaaa@a.a', { email: 'aaaaaaaaaa@a.a', name: 'A' })).toMatch(/more than three different/);
  });

  it('must not be the email address, whatever the case or the spaces around the stored email', () => {
    const context = { email: '  Ada.Lovelace@Example.org ', name: 'Ada' };
    expect(problem('ada.lovelace@example.org', context)).toMatch(/email address or name/);
    expect(problem('ADA.LOVELACE@EXAMPLE.ORG', context)).toMatch(/email address or name/);
    expect(problem('ada.lovelace@example.org!', context)).toBeNull();
    expect(problem('ada.lovelace', context)).toBeNull();
  });

  it('must not be the name, whatever the case or the spaces around the name', () => {
    const context = { email: 'ada@example.org', name: ' Augusta Ada King ' };
    expect(problem('augusta ada king', context)).toMatch(/email address or name/);
    expect(problem('AUGUSTA ADA KING', context)).toMatch(/email address or name/);
    expect(problem('augusta ada king 1815', context)).toBeNull();
  });

  it('names and emails too short to be passwords never collide with one', () => {
    expect(problem('abcdabcdabcd', { email: 'a@b.c', name: '' })).toBeNull();
  });

  it('accepts any 12–256 code points with four different ones that are not the email or name (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
        (password) => {
          const expectedNull = new Set(password).size >= 4;
          expect(problem(password, { email: 'x@y.z', name: 'x' }) === null).toBe(expectedNull);
        },
      ),
    );
  });

  it('refuses by length exactly outside 12–256 code points (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (password) => {
        const length = [...password].length;
        const result = problem(password);
        if (length < PASSWORD_MIN_LENGTH) expect(result).toMatch(/at least/);
        else if (length > PASSWORD_MAX_LENGTH) expect(result).toMatch(/at most/);
        else expect(result ?? '').not.toMatch(/at least|at most/);
      }),
    );
  });
});

// Tokens

const HEX = [...'0123456789abcdef'];
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
/** Any lowercase 8-4-4-4-12 hex id (the parser does not check version or variant). */
const idArb = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
const secretArb = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 });
const tokenArb: fc.Arbitrary<SplitToken> = fc.record({ id: fc.oneof(idArb, fc.uuid()), secret: secretArb });

const FORMATS = [
  { name: 'refresh token', format: formatRefreshToken, parse: parseRefreshToken, prefix: '' },
  { name: 'API token', format: formatApiToken, parse: parseApiToken, prefix: API_TOKEN_PREFIX },
] as const;

describe.each(FORMATS)('$name format and parse', ({ format, parse, prefix }) => {
  it('formats as prefix + id + "." + secret and parses back', () => {
    const raw = format({ id: ID, secret: SECRET });
    expect(raw).toBe(`${prefix}${ID}.${SECRET}`);
    expect(parse(raw)).toEqual({ id: ID, secret: SECRET });
  });

  it.each<[string, (raw: string) => string]>([
    ['a trailing newline', (raw) => `${raw}\n`],
    ['a trailing space', (raw) => `${raw} `],
    ['a leading space', (raw) => ` ${raw}`],
    ['a 44-character secret', (raw) => `${raw}A`],
    ['a 42-character secret', (raw) => raw.slice(0, -1)],
    ['an upper-case id', (raw) => raw.replace(ID, ID.toUpperCase())],
    ['an id without dashes', (raw) => raw.replace(ID, ID.replaceAll('-', ''))],
    ['an id in braces', (raw) => raw.replace(ID, `{${ID}}`)],
    ['a non-hex id character', (raw) => raw.replace(ID, `g${ID.slice(1)}`)],
    ['a standard-base64 "+" in the secret', (raw) => raw.replace(SECRET, `+${SECRET.slice(1)}`)],
    ['a "/" in the secret', (raw) => raw.replace(SECRET, `${SECRET.slice(0, -1)}/`)],
    ['base64 padding', (raw) => raw.replace(SECRET, `${SECRET.slice(0, -1)}=`)],
    ['a ":" instead of "."', (raw) => raw.replace(`${ID}.`, `${ID}:`)],
    ['a second dot', (raw) => raw.replace(`${ID}.`, `${ID}..`)],
    ['no secret', (raw) => raw.slice(0, raw.indexOf('.') + 1)],
    ['a Bearer prefix', (raw) => `Bearer ${raw}`],
  ])('refuses %s', (_, spoil) => {
    expect(parse(spoil(format({ id: ID, secret: SECRET })))).toBeNull();
  });

  it('refuses the empty string', () => {
    expect(parse('')).toBeNull();
  });

  it('round-trips: parse(format(x)) equals x (property)', () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        expect(parse(format(token))).toEqual(token);
      }),
    );
  });

  it('refuses a formatted token with any characters added before or after (property)', () => {
    fc.assert(
      fc.property(tokenArb, fc.string(), fc.string(), (token, before, after) => {
        fc.pre(before.length + after.length > 0);
        expect(parse(`${before}${format(token)}${after}`)).toBeNull();
      }),
    );
  });

  it('refuses a formatted token with one character removed (property)', () => {
    fc.assert(
      fc.property(tokenArb, fc.nat(), (token, at) => {
        const raw = format(token);
        const index = at % raw.length;
        expect(parse(raw.slice(0, index) + raw.slice(index + 1))).toBeNull();
      }),
    );
  });

  it('refuses a formatted token with a character replaced by one outside its alphabet (property)', () => {
    const foreign = fc.constantFrom('+', '/', '=', ' ', '.', 'é', 'G', 'Z', '😀', '\u0000');
    fc.assert(
      fc.property(tokenArb, fc.nat(), foreign, (token, at, character) => {
        const raw = format(token);
        const index = prefix.length + (at % (raw.length - prefix.length));
        const spoilt = raw.slice(0, index) + character + raw.slice(index + 1);
        // Inside the secret every base64url character is allowed, so only the id part (hex and dashes)
        // rejects 'G' and 'Z'; elsewhere those two may be valid.
        const inSecret = index > raw.lastIndexOf('.');
        fc.pre(!(inSecret && (character === 'G' || character === 'Z')) && spoilt !== raw);
        expect(parse(spoilt)).toBeNull();
      }),
    );
  });
});

describe('refresh and API tokens are not interchangeable', () => {
  it('an API token is no refresh token, and a refresh token is no API token', () => {
    const token = { id: ID, secret: SECRET };
    expect(parseRefreshToken(formatApiToken(token))).toBeNull();
    expect(parseApiToken(formatRefreshToken(token))).toBeNull();
  });

  it.each(['CWL_', 'cwl-', 'cwl', 'cw_', 'xcwl_', 'cwl_cwl_'])('an API token with prefix %j is refused', (prefix) => {
    expect(parseApiToken(`${prefix}${ID}.${SECRET}`)).toBeNull();
  });

  it('neither parser accepts the other’s output (property)', () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        expect(parseRefreshToken(formatApiToken(token))).toBeNull();
        expect(parseApiToken(formatRefreshToken(token))).toBeNull();
      }),
    );
  });
});
