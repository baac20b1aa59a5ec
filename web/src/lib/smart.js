/**
 * How the server's own web apps connect to a FHIR server: SMART App Launch 2.x, the one seam for it.
 *
 * Standalone launch against the server that serves the page: read its .well-known/smart-configuration, send the user
 * to the authorization endpoint (authorization code with PKCE S256, a public client), and exchange the code that
 * comes back for an access token. The user signs in there (and, with launch/patient, picks the person).
 * EHR launch: opened with `iss` and `launch`, the app asks the EHR's server named by `iss` instead, passing `launch`.
 * A server without SMART (security turned off) is used without a token.
 *
 * The code always comes back to the app's home page (the registered redirect URI); the page the launch started on
 * is opened afterwards. The token is kept in sessionStorage for this tab, so the app's pages share one sign-in.
 *
 * @typedef {{fhirBase: string, accessToken: string|null, patientId: string|null, scope?: string, expiresAt?: number}} Connection
 */
const PENDING = 'recovery-outcomes.smart-launch';
const SESSION = 'recovery-outcomes.smart-session.';

/**
 * @param {{clientId: string, scope: string, home?: string}} app the registered client, the scopes it asks for, and
 *   its home page (the redirect URI) relative to the current page
 * @returns {Promise<Connection>}
 */
export async function connect({ clientId, scope, home = './' }) {
  const here = new URL(location.href);
  const params = here.searchParams;
  if (params.has('code') || params.has('error')) {
    return finish(clientId, params);
  }
  const ehrLaunch = params.has('iss') && params.has('launch');
  if (!ehrLaunch) {
    const saved = load(clientId);
    if (saved) return saved;
  }
  const fhirBase = ehrLaunch ? params.get('iss').replace(/\/+$/, '') : new URL('../fhir', document.baseURI).href;
  const smart = await discover(fhirBase);
  if (!smart) return { fhirBase, accessToken: null, patientId: null };

  const redirectUri = new URL(home, here).href.split(/[?#]/)[0];
  const back = ehrLaunch ? withoutLaunchParameters(here) : here.href;
  await start({ clientId, scope: ehrLaunch ? `launch ${scope}` : scope, fhirBase, smart, redirectUri, back,
    launch: ehrLaunch ? params.get('launch') : null });
  return new Promise(() => {}); // the page is on its way to the sign-in
}

/** Forgets this tab's sign-in and starts a new launch (the user picks another person). */
export function relaunch(clientId) {
  sessionStorage.removeItem(SESSION + clientId);
  location.reload();
}

/** Forgets this tab's sign-in, e.g. after the server refused the token. */
export function forget(clientId) {
  sessionStorage.removeItem(SESSION + clientId);
}

function load(clientId) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION + clientId) ?? 'null');
    // a minute to spare, so a page does not start with a token about to expire
    if (saved?.accessToken && saved.expiresAt > Date.now() + 60_000) return saved;
  } catch {
    // nothing usable saved
  }
  sessionStorage.removeItem(SESSION + clientId);
  return null;
}

async function discover(fhirBase) {
  try {
    const res = await fetch(`${fhirBase}/.well-known/smart-configuration`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return null;
    const config = await res.json();
    return config.authorization_endpoint && config.token_endpoint ? config : null;
  } catch {
    return null;
  }
}

async function start({ clientId, scope, fhirBase, smart, redirectUri, back, launch }) {
  const verifier = random(48);
  const state = random(16);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({
    clientId, state, verifier, redirectUri, back, fhirBase, tokenEndpoint: smart.token_endpoint,
  }));
  const authorize = new URL(smart.authorization_endpoint);
  const query = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    aud: fhirBase,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  if (launch) query.launch = launch;
  authorize.search = new URLSearchParams(query).toString();
  location.assign(authorize.href);
}

async function finish(clientId, params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) {
    throw new Error(`sign-in refused: ${params.get('error_description') ?? params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state') || pending.clientId !== clientId) {
    throw new Error('the sign-in did not start on this page; reload the page to sign in again');
  }
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: pending.redirectUri,
      client_id: clientId,
      code_verifier: pending.verifier,
    }),
  });
  const token = await res.json().catch(() => ({}));
  if (!res.ok || !token.access_token) {
    throw new Error(`no access token: ${token.error_description ?? token.error ?? res.status}`);
  }
  const connection = {
    fhirBase: pending.fhirBase,
    accessToken: token.access_token,
    patientId: token.patient ?? null,
    scope: token.scope ?? '',
    expiresAt: Date.now() + (Number(token.expires_in) || 300) * 1000,
  };
  sessionStorage.setItem(SESSION + clientId, JSON.stringify(connection));
  // the code is spent: back to where the launch started, without code and state in the address bar
  const back = new URL(pending.back);
  if (back.pathname !== location.pathname) {
    location.replace(back.href);
    return new Promise(() => {});
  }
  history.replaceState(null, '', back.href);
  return connection;
}

function withoutLaunchParameters(url) {
  const u = new URL(url);
  u.searchParams.delete('iss');
  u.searchParams.delete('launch');
  return u.href;
}

function random(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
