/**
 * Goal: GET /health answers 200 with status ok while the process and its database are up, in a shape a
 * load balancer or an operator can read. Method: the real service over HTTP (supertest) on its own
 * PostgreSQL database. (Schema staleness is covered elsewhere.)
 */
import request from 'supertest';
import { TestApp } from '../setup/test-app.js';

describe('GET /health', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 200 with status ok and the database up', async () => {
    const response = await request(app.app.getHttpServer()).get('/health');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toMatchObject({
      status: 'ok',
      database: { status: 'up', latencyMs: expect.any(Number) },
      process: { uptimeSeconds: expect.any(Number), rssBytes: expect.any(Number) },
    });
    expect(response.body.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(response.body.process.rssBytes).toBeGreaterThan(0);
  });

  it('keeps answering on repeated calls and does not leak internals', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(app.app.getHttpServer()).get('/health')),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
      expect(response.text).not.toMatch(/stack|password|postgres:\/\//i);
    }
  });
});
