// A TCP port free on 127.0.0.1 right now, for a server the tests or the bench start. Plain JavaScript, so
// that Jest's global setup (which Node loads without TypeScript) uses the same code as everything else.
import { createServer } from 'node:net';

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
