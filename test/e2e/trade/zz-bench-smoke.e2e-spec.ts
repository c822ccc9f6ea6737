import { measureTrade } from '../../../bench/trade.js';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import { TestApp } from '../setup/test-app.js';

it('runs the trade bench phase', async () => {
  const app = await TestApp.start();
  await createUnit(app, 'CWC');
  const account = await openAccount(app, {});
  const members = Number(process.env['TM'] ?? 300);
  const obligations = Number(process.env['TO'] ?? 15000);
  const report = await measureTrade({
    databaseUrl: (app as unknown as { databaseUrl: string }).databaseUrl,
    federationId: app.steward.organizationId,
    stewardPersonId: app.steward.personId,
    unitCode: 'CWC',
    creditAccountId: account,
    members,
    obligations,
    log: (m) => process.stdout.write(`${m}\n`),
  });
  process.stdout.write(JSON.stringify(report.figures, null, 2) + '\n');
  expect(report.valid).toBe(true);
  await app.assertBooksBalance();
  await app.close();
}, 600000);
