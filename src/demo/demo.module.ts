import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { DemoLoader } from './demo.loader.js';

/** The demo federation (organisations come from the global OrganizationsModule). */
@Module({ imports: [LedgerModule], providers: [DemoLoader] })
export class DemoModule {}
