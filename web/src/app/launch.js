/**
 * How the form filler connects to a FHIR server: the one seam for SMART App Launch.
 *
 * Today the app talks to the server that serves it, at its /fhir base, without a token.
 * When the server requires SMART tokens (security issue), replace connect() with a SMART App Launch
 * (read `iss` and `launch` from the URL, or start a standalone launch; exchange the code for a token)
 * and return the same shape: the FHIR base, the access token, and the launch context.
 * Nothing else in the app knows how the connection was made.
 *
 * @returns {Promise<{fhirBase: string, accessToken: string|null, patientId: string|null}>}
 */
export async function connect() {
  return {
    fhirBase: new URL('../fhir', document.baseURI).href,
    accessToken: null,
    patientId: null,
  };
}
