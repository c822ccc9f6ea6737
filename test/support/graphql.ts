/**
 * GraphQL over HTTP with fetch, for what talks to a running server from outside: the fault tests, the crash
 * test and the bench. (The e2e specs speak to their in-process app through TestApp, with supertest.)
 */

export interface GraphQLErrorBody {
  readonly message?: string;
  readonly extensions?: { readonly code?: string; readonly details?: Record<string, unknown> };
}

export type Reply =
  | { readonly kind: 'reply'; readonly status: number; readonly data: unknown; readonly errors: GraphQLErrorBody[] }
  | { readonly kind: 'no-reply'; readonly reason: string };

/** Sends one operation as `token` (or no one) and returns its data; any error fails. */
export type GraphQLSend = <T>(query: string, variables: Record<string, unknown>, token: string | null) => Promise<T>;

/** Posts one GraphQL operation. Never throws: a connection error, timeout or cut body is a `no-reply`. */
export async function postGraphQL(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
  timeoutMs = 10_000,
): Promise<Reply> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'no-reply', reason: `HTTP ${response.status} without a JSON body` };
    }
    if (!isObject(body) || !('data' in body || 'errors' in body)) {
      return { kind: 'no-reply', reason: `HTTP ${response.status} without a GraphQL body` };
    }
    const errors = Array.isArray(body['errors']) ? (body['errors'] as GraphQLErrorBody[]) : [];
    return { kind: 'reply', status: response.status, data: body['data'] ?? null, errors };
  } catch (error) {
    return { kind: 'no-reply', reason: describeError(error) };
  }
}

/** A GraphQLSend to the server at `baseUrl`: any error or lost reply is thrown (for set-up and reads). */
export function graphqlAt(baseUrl: string): GraphQLSend {
  return async <T>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> => {
    const reply = await postGraphQL(baseUrl, query, variables, token, 30_000);
    if (reply.kind === 'no-reply') throw new Error(`no reply from ${baseUrl}: ${reply.reason}`);
    if (reply.errors.length > 0 || reply.data === null) {
      throw new Error(`GraphQL errors (HTTP ${reply.status}): ${JSON.stringify(reply.errors)}`);
    }
    return reply.data as T;
  };
}

/** A short name for why a request got no reply (fetch errors may come from another realm under Jest). */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { cause, name, message } = error as { cause?: unknown; name?: unknown; message?: unknown };
  if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string') {
    return (cause as { code: string }).code;
  }
  if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') return name;
  return typeof message === 'string' ? message : Object.prototype.toString.call(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
