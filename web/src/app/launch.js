/**
 * How the form filler connects to a FHIR server: the one seam for SMART App Launch.
 *
 * A SMART standalone launch against the server that serves the app: read the server's
 * .well-known/smart-configuration, send the user to its authorization endpoint (authorization code with PKCE
 * S256, public client `demo-app`), and exchange the code that comes back to this page for an access token. The
 * user signs in and picks the patient there (`launch/patient`); the token response names that patient.
 * A server without SMART (security turned off) is used without a token.
 * Nothing else in the app knows how the connection was made.
 *
 * @returns {Promise<{fhirBase: string, accessToken: string|null, patientId: string|null}>}
 */
const CLIENT_ID = 'demo-app';
// a clinician's form filler: the user's own access, with a patient picked to fill in for
const SCOPE = 'openid fhirUser launch/patient user/*.cruds';
const PENDING = 'recovery-outcomes.smart-launch';

export async function connect() {
  const fhirBase = new URL('../fhir', document.baseURI).href;
  const smart = await discover(fhirBase);
  if (!smart) return { fhirBase, accessToken: null, patientId: null };

  const here = new URL(location.href);
  if (here.searchParams.has('code') || here.searchParams.has('error')) {
    return finish(fhirBase, smart, here.searchParams);
  }
  await start(fhirBase, smart, here);
  return new Promise(() => {}); // the page is on its way to the sign-in
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

async function start(fhirBase, smart, here) {
  const verifier = random(48);
  const state = random(16);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const redirectUri = here.origin + here.pathname;
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, redirectUri, back: here.href }));
  const authorize = new URL(smart.authorization_endpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    aud: fhirBase,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(authorize.href);
}

async function finish(fhirBase, smart, params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) {
    throw new Error(`sign-in refused: ${params.get('error_description') ?? params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('the sign-in did not start on this page; reload the page to sign in again');
  }
  const res = await fetch(smart.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: pending.redirectUri,
      client_id: CLIENT_ID,
      code_verifier: pending.verifier,
    }),
  });
  const token = await res.json().catch(() => ({}));
  if (!res.ok || !token.access_token) {
    throw new Error(`no access token: ${token.error_description ?? token.error ?? res.status}`);
  }
  // the code is spent: take it (and the state) out of the address bar, back to where the launch started
  history.replaceState(null, '', pending.back);
  return { fhirBase, accessToken: token.access_token, patientId: token.patient ?? null };
}

function random(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
