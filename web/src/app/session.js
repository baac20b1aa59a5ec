// The clinician app's sign-in, shared by its pages: the SMART client demo-app, with a person picked at sign-in.
import { connect, relaunch } from '../lib/smart.js';

const CLIENT_ID = 'demo-app';
// a clinician's app: the user's own access, with a person picked to work with
const SCOPE = 'openid fhirUser launch/patient user/*.cruds';

export function connectApp() {
  return connect({ clientId: CLIENT_ID, scope: SCOPE, home: './' });
}

/** Starts a new launch, in which the user picks another person. */
export function chooseAnotherPerson() {
  relaunch(CLIENT_ID);
}

/** Fills the header's #signed-in box: who the app works for, and a way to pick someone else. */
export async function showSignedIn(client, connection) {
  const box = document.getElementById('signed-in');
  if (!box || !connection.accessToken) return;
  const text = document.createElement('span');
  text.id = 'signed-in-person';
  if (connection.patientId) {
    text.dataset.patient = connection.patientId;
    text.textContent = `Person: Patient/${connection.patientId}`;
    client.get(`Patient/${encodeURIComponent(connection.patientId)}`)
      .then(p => { text.textContent = `Person: ${personName(p)} (Patient/${p.id})`; })
      .catch(() => {});
  } else {
    text.textContent = 'Signed in, no person chosen';
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link-button';
  button.textContent = 'Choose another person';
  button.addEventListener('click', chooseAnotherPerson);
  box.replaceChildren(text, ' ', button);
  box.hidden = false;
}

export function personName(p) {
  const n = p?.name?.[0];
  const name = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
  return name || p?.id || 'unnamed';
}
