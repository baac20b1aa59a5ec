/** A small FHIR R4 JSON client over fetch, for one server base and an optional bearer token. */
export class FhirClient {
  /** @param {{fhirBase: string, accessToken: string|null}} connection */
  constructor(connection) {
    this.base = connection.fhirBase.replace(/\/+$/, '');
    this.accessToken = connection.accessToken;
  }

  url(relative) {
    return /^https?:/.test(relative) ? relative : `${this.base}/${relative.replace(/^\/+/, '')}`;
  }

  /** Sends a request; resolves to {status, ok, headers, body} where body is the parsed JSON or null. */
  async send(relative, { method = 'GET', body, headers = {} } = {}) {
    const h = { Accept: 'application/fhir+json', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/fhir+json';
    if (this.accessToken) h.Authorization = `Bearer ${this.accessToken}`;
    const res = await fetch(this.url(relative), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, ok: res.ok, headers: res.headers, body: json };
  }

  /** GET that resolves to the JSON body, or rejects with an Error that carries the status and OperationOutcome. */
  async get(relative) {
    const r = await this.send(relative);
    if (!r.ok) throw requestError(r, `GET ${relative}`);
    return r.body;
  }

  /** Every resource of a search, following the Bundle's next links. */
  async searchAll(relative) {
    const resources = [];
    for (let next = relative; next;) {
      const bundle = await this.get(next);
      for (const e of bundle.entry ?? []) if (e.resource) resources.push(e.resource);
      next = bundle.link?.find(l => l.relation === 'next')?.url;
    }
    return resources;
  }

  create(resource) {
    return this.send(resource.resourceType, { method: 'POST', body: resource });
  }

  /**
   * The subset of a fhirclient.js Client that LHC-Forms calls after LForms.Util.setFHIRContext(): request()
   * with a URL relative to the FHIR base (or {url, headers}), resolving to JSON; and getFhirVersion().
   */
  forLForms() {
    let version;
    return {
      request: (req) => {
        const { url, headers } = typeof req === 'string' ? { url: req } : req;
        return this.send(url, { headers }).then(r => {
          if (!r.ok) throw requestError(r, `GET ${url}`);
          return r.body;
        });
      },
      getFhirVersion: () => (version ??= this.get('metadata').then(cs => cs.fhirVersion)),
    };
  }
}

/** The messages of an OperationOutcome, one per issue, with the FHIRPath of the offending element when given. */
export function issueMessages(outcome) {
  if (outcome?.resourceType !== 'OperationOutcome') return [];
  return (outcome.issue ?? []).map(i => {
    const where = [...(i.expression ?? []), ...(i.location ?? [])][0];
    const what = i.diagnostics ?? i.details?.text ?? i.code ?? 'problem';
    return { severity: i.severity ?? 'error', text: what, where };
  });
}

function requestError(r, what) {
  const messages = issueMessages(r.body).map(m => m.text);
  const e = new Error(`${what} failed: HTTP ${r.status}${messages.length ? ' — ' + messages.join('; ') : ''}`);
  e.status = r.status;
  e.outcome = r.body;
  return e;
}
