import type { CommercetoolsEmulator } from './commercetools-emulator.js';

// Test-side helpers: plain fetch calls, shaped like the commercetools SDK's requests.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are read loosely
export interface HttpResult<T = any> {
  status: number;
  body: T;
}

async function parse(res: Response): Promise<HttpResult> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** POST to the auth host with a form body and Basic client authentication (unless overridden). */
export async function authPost(
  ct: CommercetoolsEmulator,
  path: string,
  params: Record<string, string>,
  authorization: string | null = ct.basicAuth,
): Promise<HttpResult> {
  const res = await fetch(`${ct.authUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return parse(res);
}

/** A call to the API host with `Authorization: Bearer {token}`; `path` excludes the project key. */
export async function apiCall(
  ct: CommercetoolsEmulator,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<HttpResult> {
  const res = await fetch(`${ct.apiUrl}/${ct.options.projectKey}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return parse(res);
}

export async function anonymousToken(ct: CommercetoolsEmulator, anonymousId?: string) {
  const res = await authPost(ct, `/oauth/${ct.options.projectKey}/anonymous/token`, {
    grant_type: 'client_credentials',
    ...(anonymousId ? { anonymous_id: anonymousId } : {}),
  });
  return res.body as { access_token: string; refresh_token: string; scope: string };
}

export async function passwordToken(ct: CommercetoolsEmulator, username: string, password: string) {
  const res = await authPost(ct, `/oauth/${ct.options.projectKey}/customers/token`, {
    grant_type: 'password',
    username,
    password,
  });
  return res.body as { access_token: string; refresh_token: string; scope: string };
}

/** Quantities by product/variant, for compact assertions. */
export const lines = (cart: { lineItems: Array<{ productId: string; variant: { id: number }; quantity: number }> }) =>
  cart.lineItems.map((l) => `${l.productId}/${l.variant.id}x${l.quantity}`);
