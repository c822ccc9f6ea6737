import { rm } from 'node:fs/promises';
import { dropTemplate } from './global-setup.mjs';

export default async function globalTeardown() {
  await dropTemplate();
  await globalThis.embeddedTestServer?.stop();
  // The server removes its data directory; the temporary folder around it goes too.
  if (globalThis.embeddedTestFolder !== undefined) {
    await rm(globalThis.embeddedTestFolder, { recursive: true, force: true });
  }
}
