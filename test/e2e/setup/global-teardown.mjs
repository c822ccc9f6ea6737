import { dropTemplate } from './global-setup.mjs';

export default async function globalTeardown() {
  await dropTemplate();
  await globalThis.embeddedTestServer?.stop();
}
