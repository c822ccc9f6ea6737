import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { UnitRecord } from '../ledger.records.js';
import { UnitKindEnum } from './ledger-enums.js';

@ObjectType('Unit', { description: 'A unit of account: hours, a mutual credit, or a currency.' })
export class UnitModel {
  @Field(() => String, { description: 'Upper-case code, such as EUR, HOUR or CWC.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => UnitKindEnum)
  kind!: UnitKindEnum;

  @Field(() => Int, { description: 'Decimal places of the minor unit (2 for cents; 0 for minutes).' })
  scale!: number;

  @Field(() => ID, { description: 'The organisation that issues the unit and sets its credit lines.' })
  issuerId!: string;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: UnitRecord): UnitModel {
    return Object.assign(new UnitModel(), { ...record, kind: record.kind as UnitKindEnum });
  }
}
