/**
 * Goal: the GraphQL IDE works on a machine without internet: its page references only the service's own
 * URLs, and the service serves every one of them (scripts, styles, and the source maps they name). With the
 * IDE switched off, nothing is served. Method: the real application with GRAPHQL_IDE on; fetch /graphiql,
 * collect every src and href of the page, fetch each from the service itself, and follow each
 * sourceMappingURL the assets name.
 */
import request from 'supertest';
import { TestApp } from '../setup/test-app.js';

describe('the GraphQL IDE, offline', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ GRAPHQL_IDE: 'true' });
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string) =>
    request(app.app.getHttpServer())
      .get(url)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('serves a page whose every asset is served by the service itself', async () => {
    const page = await get('/graphiql');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = (page.body as Buffer).toString('utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(references.length).toBeGreaterThanOrEqual(5);
    expect(references.filter((reference) => /^(https?:)?\/\//.test(reference))).toEqual([]);

    const followed: string[] = [];
    for (const reference of references) {
      const asset = await get(reference);
      expect({ reference, status: asset.status }).toEqual({ reference, status: 200 });
      expect(asset.headers['content-type']).toMatch(reference.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      const text = (asset.body as Buffer).toString('utf8');
      expect(text.length).toBeGreaterThan(100);
      const map = /[#@] sourceMappingURL=([^\s*]+)/.exec(text.slice(-300))?.[1];
      if (map === undefined) continue;
      const mapUrl = new URL(map, `http://service${reference}`).pathname;
      const sourceMap = await get(mapUrl);
      expect({ mapUrl, status: sourceMap.status }).toEqual({ mapUrl, status: 200 });
      expect(JSON.parse((sourceMap.body as Buffer).toString('utf8'))).toHaveProperty('mappings');
      followed.push(mapUrl);
    }
    expect(followed).toHaveLength(2);
    const graphiql = (await get('/graphiql/assets/graphiql.min.js')).body as Buffer;
    expect(graphiql.toString('utf8')).toContain('createFetcher');
  });

  it('is not served when GRAPHQL_IDE is off', async () => {
    const quiet = await TestApp.start({ GRAPHQL_IDE: 'false' });
    try {
      const page = await request(quiet.app.getHttpServer()).get('/graphiql');
      expect(page.status).toBe(404);
    } finally {
      await quiet.close();
    }
  });
});
