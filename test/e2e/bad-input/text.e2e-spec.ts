/**
 * Goal: text fields hold text, within their limits. A memo or metadata over its limit (counted in characters,
 * not bytes), a malformed or repeated metadata key, a malformed kind, an over-long name, unit code or reason,
 * and a NUL anywhere are refused with a typed VALIDATION_FAILED and change nothing. Hostile text that is
 * valid data (SQL or GraphQL in a memo or metadata, invalid UTF-8 bytes, an overlong-encoded quote, emoji,
 * combining marks and right-to-left overrides) is accepted harmlessly: stored verbatim, read back verbatim,
 * one transaction more, and every table still there.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request (bytes spliced in where JSON could
 * not carry them) to the real service on its own database, the snapshot of every table before and after, a
 * leak scan of the answer, GET /health after it; and one transfer of injection text through the ordinary
 * client, read back through GraphQL and from its row.
 */
import { transfer } from '../ledger/ledger-fixtures.js';
import {
  GRAPHQL_BREAKOUT,
  POST_TRANSACTION,
  READ_TRANSACTION,
  SET_ACCOUNT_LIMITS,
  SQL_DROP,
  acceptedTransfer,
  catalogueTest,
  expectOneTransferMore,
  fx,
  gql,
  group,
  invalid,
  openAccountWith,
  postTransfer,
  refused,
  runCatalogue,
  send,
  type Case,
} from './catalogue.js';

const SQL_SLEEP = "'); SELECT pg_sleep(30); --";
/** 489 emoji, then e + combining acute, an RLO … PDF span and a ZWJ flag: 500 code points in all. */
const EDGE_MEMO = `${'💸'.repeat(489)}e\u0301\u202Eabc\u202C🏳️‍🌈`;

/** The JSON text of a postTransaction request, with `memoBytes` spliced in as the raw bytes of its memo. */
function rawPostWithMemo(memoBytes: Buffer): Buffer {
  const input = transfer(fx.alice, fx.bob, '1', { memo: '@@MEMO@@' });
  const [head, tail] = JSON.stringify({ query: POST_TRANSACTION, variables: { input } }).split('@@MEMO@@') as [
    string,
    string,
  ];
  return Buffer.concat([Buffer.from(head), memoBytes, Buffer.from(tail)]);
}

const TEXT_FIELDS: readonly Case[] = [
  {
    name: 'memo of 501 characters',
    send: () => postTransfer({ memo: 'm'.repeat(501) }),
    expect: invalid('MEMO_TOO_LONG'),
  },
  {
    name: 'memo of 501 emoji (counted in characters, not bytes)',
    send: () => postTransfer({ memo: '💸'.repeat(501) }),
    expect: invalid('MEMO_TOO_LONG'),
  },
  {
    name: '33 metadata keys',
    send: () => postTransfer({ metadata: Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }),
    expect: invalid('METADATA_TOO_LARGE'),
  },
  {
    name: 'metadata value of 501 characters',
    send: () => postTransfer({ metadata: [{ key: 'note', value: 'v'.repeat(501) }] }),
    expect: invalid('METADATA_TOO_LARGE'),
  },
  {
    name: 'metadata key with SQL in it',
    send: () => postTransfer({ metadata: [{ key: SQL_DROP, value: 'v' }] }),
    expect: invalid('INVALID_METADATA'),
    echoes: [SQL_DROP],
  },
  {
    name: 'metadata key with a space',
    send: () => postTransfer({ metadata: [{ key: 'bad key', value: 'v' }] }),
    expect: invalid('INVALID_METADATA'),
  },
  {
    name: 'the same metadata key twice',
    send: () =>
      postTransfer({
        metadata: [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
      }),
    expect: invalid('INVALID_METADATA'),
  },
  {
    name: 'kind with SQL in it',
    send: () => postTransfer({ kind: SQL_DROP }),
    expect: invalid('INVALID_KIND'),
  },
  {
    name: 'kind "lowercase"',
    send: () => postTransfer({ kind: 'lowercase' }),
    expect: invalid('INVALID_KIND'),
  },
  {
    name: 'kind of 33 characters',
    send: () => postTransfer({ kind: 'K'.repeat(33) }),
    expect: invalid('INVALID_KIND'),
  },
  {
    name: 'openAccount: unit code of one character',
    send: () => openAccountWith({ unitCode: 'X' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'openAccount: name of 101 characters',
    send: () => openAccountWith({ name: 'n'.repeat(101) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'setAccountLimits: reason of 501 characters',
    send: () => gql(SET_ACCOUNT_LIMITS, { input: { accountId: fx.alice, creditLimit: '5', reason: 'r'.repeat(501) } }),
    expect: invalid('INVALID_INPUT'),
  },
];

const NUL_AND_INVALID_UTF8: readonly Case[] = [
  {
    name: 'NUL in the memo',
    send: () => postTransfer({ memo: 'before\u0000after' }),
    expect: invalid(),
  },
  {
    name: 'NUL in a metadata value',
    send: () => postTransfer({ metadata: [{ key: 'note', value: 'before\u0000after' }] }),
    expect: invalid(),
  },
  {
    name: 'NUL in a unit code (unit query)',
    send: () => gql('query($code: String!) { unit(code: $code) { code } }', { code: 'CWC\u0000' }),
    expect: refused(['VALIDATION_FAILED', 'NOT_FOUND']),
  },
  {
    name: 'NUL in the kind',
    send: () => postTransfer({ kind: 'TRADE\u0000' }),
    expect: { ...invalid('NUL_CHARACTER'), status: 400 },
  },
  {
    name: 'NUL in the document, outside any string',
    send: () => gql('{ units\u0000 { code } }'),
    expect: { ...invalid('NUL_CHARACTER'), status: 400 },
  },
  {
    name: 'invalid UTF-8 bytes in the document',
    send: () =>
      send(
        Buffer.concat([
          Buffer.from('{"query":"{ un'),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('its { code } }"}'),
        ]),
      ),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'invalid UTF-8 bytes in the memo: stored as U+FFFD, consistently',
    send: () => send(rawPostWithMemo(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x63]))),
    expect: acceptedTransfer({ memo: Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x63]).toString('utf8') }),
  },
  {
    name: 'an overlong-encoded quote (C0 A2) cannot end the memo string early',
    send: () =>
      send(
        rawPostWithMemo(
          Buffer.concat([Buffer.from('x'), Buffer.from([0xc0, 0xa2]), Buffer.from(', \\"unitCode\\": \\"EVIL')]),
        ),
      ),
    expect: acceptedTransfer({ memo: `x\uFFFD\uFFFD, "unitCode": "EVIL` }),
  },
];

const INJECTION_ACCEPTED_HARMLESSLY: readonly Case[] = [
  {
    name: `memo "${SQL_DROP}"`,
    send: () => postTransfer({ memo: SQL_DROP }),
    expect: acceptedTransfer({ memo: SQL_DROP }),
    echoes: [SQL_DROP],
  },
  {
    name: 'memo with pg_sleep: stored, and it does not sleep',
    send: () => postTransfer({ memo: SQL_SLEEP }),
    expect: {
      accepted: async (sent, before) => {
        expect(sent.ms).toBeLessThan(15_000);
        await acceptedTransfer({ memo: SQL_SLEEP }).accepted(sent, before);
      },
    },
    echoes: [SQL_SLEEP],
  },
  {
    name: 'metadata values with SQL, quotes, backslashes and JSON',
    send: () =>
      postTransfer({
        metadata: [
          { key: 'note', value: "' OR 1=1; DELETE FROM account WHERE ''='" },
          { key: 'json', value: '{"a": "b\\"}, "$where": "1"}' },
          { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; -- \\' },
        ],
      }),
    expect: acceptedTransfer({
      metadata: [
        { key: 'note', value: "' OR 1=1; DELETE FROM account WHERE ''='" },
        { key: 'json', value: '{"a": "b\\"}, "$where": "1"}' },
        { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; -- \\' },
      ],
    }),
  },
  {
    name: 'memo with GraphQL that tries to break out',
    send: () => postTransfer({ memo: GRAPHQL_BREAKOUT }),
    expect: acceptedTransfer({ memo: GRAPHQL_BREAKOUT }),
  },
  {
    name: 'memo of exactly 500 characters: emoji, a combining mark, a right-to-left override',
    send: () => postTransfer({ memo: EDGE_MEMO }),
    expect: acceptedTransfer({ memo: EDGE_MEMO }),
  },
];

runCatalogue(
  'text',
  [
    ...group('memo, metadata and other text', TEXT_FIELDS),
    ...group('NUL and invalid UTF-8', NUL_AND_INVALID_UTF8),
    ...group('injection accepted harmlessly', INJECTION_ACCEPTED_HARMLESSLY),
  ],
  {
    tests: () => {
      catalogueTest('stores SQL-injection text in memo and metadata verbatim, and it does no harm', async () => {
        const memo = `Robert'); DROP TABLE entry; -- \\ " $1 %s € ✓`;
        const metadata = [
          { key: 'note', value: `' OR 1=1; DELETE FROM account WHERE ''='` },
          { key: 'sql:comment', value: '/* */ ; TRUNCATE unit CASCADE; --' },
        ];
        const input = transfer(fx.alice, fx.bob, '7', { memo, metadata });
        const before = await fx.app.snapshot();
        const posted = await fx.app.ok(POST_TRANSACTION, { input });
        expect(posted.postTransaction.transaction.memo).toBe(memo);

        const read = await fx.app.ok(READ_TRANSACTION, { id: input.id });
        expect(read.transaction.memo).toBe(memo);
        expect(read.transaction.metadata).toEqual(expect.arrayContaining(metadata));
        expect(read.transaction.metadata).toHaveLength(2);

        const rows: { memo: string }[] = await fx.app.dataSource.query(
          'SELECT memo FROM ledger_transaction WHERE id = $1',
          [input.id],
        );
        expect(rows).toEqual([{ memo }]);
        expectOneTransferMore(before, await fx.app.snapshot());
      });
    },
  },
);
