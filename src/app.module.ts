import { Module, type DynamicModule } from '@nestjs/common';
import { DemoModule } from './demo/demo.module.js';
import { BOOKS, DOMAIN_MODULES } from './domain-modules.js';
import type { AppConfig } from './kernel/config/app-config.js';
import { KernelModule } from './kernel/kernel.module.js';

/** The application: the kernel, every domain module of the registry, and the demo data loader. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [KernelModule.forRoot(config, BOOKS), ...DOMAIN_MODULES.map((domain) => domain.module), DemoModule],
    };
  }
}
