import { registerEnumType } from '@nestjs/graphql';

/** What an organisation's API token may do (values match auth.records.ts). */
export enum ApiScopeEnum {
  LEDGER_READ = 'LEDGER_READ',
  LEDGER_WRITE = 'LEDGER_WRITE',
}

registerEnumType(ApiScopeEnum, {
  name: 'ApiScope',
  description: "LEDGER_READ reads the organisation's accounts; LEDGER_WRITE also moves value out of them.",
});
