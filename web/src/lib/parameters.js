// Reading FHIR Parameters (operation results): parameters and parts by name, and a part's value[x].

export const params = (r, name) => (r?.parameter ?? []).filter(p => p.name === name);
export const param = (r, name) => params(r, name)[0];
export const parts = (p, name) => (p?.part ?? []).filter(x => x.name === name);
export const part = (p, name) => parts(p, name)[0];

export function value(p) {
  if (!p) return undefined;
  const key = Object.keys(p).find(k => k.startsWith('value'));
  return key ? p[key] : undefined;
}
