// The person's recovery profile: per Box 3 domain, each score over time with its baseline, latest score and whether
// the change is reliable (Patient/$recovery-profile and the score Observations), the GAS goals with their levels and
// T-score ($goal-attainment), and service use as plain figures.
import { FhirClient } from '../lib/fhir.js';
import { formatDay, formatNumber, timeChart } from '../lib/chart.js';
import { param, params, part, parts, value } from '../lib/parameters.js';
import { table } from '../lib/table.js';
import { connectApp, personName, showSignedIn } from './session.js';

const CANON = 'https://w3id.org/recovery-outcomes/fhir';
const SCORE_SYSTEM = `${CANON}/CodeSystem/recovery-score`;
const LEVEL_DESCRIPTION = `${CANON}/StructureDefinition/gas-level-description`;
const COUNTED = new Set(['final', 'amended', 'corrected']);
// scales for scores whose CodeSystem entry has no range (contract §2.3: the T-score lies about 20 to 80)
const DEFAULT_RANGES = { 'gas-t-score': [20, 80] };
// contract §2.1, in case the server's coding carries no display
const DOMAIN_NAMES = {
  'recovery-supporting-care': 'Quality of recovery-supporting care',
  'individual-recovery-goals': 'Achievement of individual recovery goals',
  'personal-recovery': 'Subjective measures of personal recovery',
  'socially-valued-goals': 'Achievement of socially valued goals',
  'quality-of-life': 'Quality of life and well-being',
  'service-use': 'Service use',
};
const STATUS_ITEMS = {
  'employment-status': 'Employment status',
  'accommodation-status': 'Accommodation status',
  'settled-accommodation': 'Settled accommodation',
};
const SERVICE_FIGURES = {
  'inpatient-admissions': 'Inpatient admissions',
  'bed-days': 'Bed days',
  'community-contacts': 'Community contacts',
  'crisis-contacts': 'Crisis contacts',
  'mha-detentions': 'Detentions under the Mental Health Act',
};
const WINDOWS = { 'before-first-measure': '12 months before the first measure', latest: 'Latest 12 months' };

const $ = (id) => document.getElementById(id);

start().catch(e => setStatus(`Could not load the recovery profile: ${e.message}`, 'error'));

async function start() {
  const connection = await connectApp();
  const client = new FhirClient(connection);
  showSignedIn(client, connection);
  const id = connection.patientId;
  if (!id) {
    setStatus('No person was chosen at sign-in: choose a person to see their recovery profile.', 'error');
    return;
  }
  const p = encodeURIComponent(id);
  const [patient, profile, attainment, scores, observations, goals] = await Promise.all([
    client.get(`Patient/${p}`),
    client.get(`Patient/${p}/$recovery-profile`),
    client.get(`Patient/${p}/$goal-attainment`),
    client.get('CodeSystem/recovery-score').catch(() => null),
    client.searchAll(`Observation?subject=Patient/${p}&code=${encodeURIComponent(`${SCORE_SYSTEM}|`)}&_count=200`),
    client.searchAll(`Goal?subject=Patient/${p}&_count=100`),
  ]);
  const asOf = value(param(profile, 'date'));
  const person = $('person');
  person.textContent = `${personName(patient)}${patient.birthDate ? `, born ${formatDay(patient.birthDate)}` : ''} — as of ${formatDay(asOf)}.`;
  person.hidden = false;

  const info = scoreInfo(scores);
  const series = seriesByCode(observations);
  const domains = params(profile, 'domain');
  const links = $('domain-links');
  const sections = domains.map((d, i) => {
    const coding = value(part(d, 'code'));
    const name = coding.display ?? DOMAIN_NAMES[coding.code] ?? coding.code;
    const section = document.createElement('section');
    section.className = 'domain';
    section.id = `domain-${coding.code}`;
    section.dataset.domain = coding.code;
    section.setAttribute('aria-labelledby', `${section.id}-title`);
    const h2 = document.createElement('h2');
    h2.id = `${section.id}-title`;
    h2.textContent = `${i + 1}. ${name}`;
    section.append(h2);
    const content = [
      ...parts(d, 'measure').map(m => measureFigure(m, series, info)),
      ...domainExtras(coding.code, d, attainment, goals),
    ];
    if (content.length === 0) {
      const none = document.createElement('p');
      none.className = 'none';
      none.textContent = 'Nothing recorded yet.';
      content.push(none);
    }
    section.append(...content);

    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${section.id}`;
    a.textContent = name;
    li.append(a);
    links.append(li);
    return section;
  });
  $('domains').replaceChildren(...sections);
  $('domain-index').hidden = false;
  // charts are drawn once their boxes are on the page and have a width
  for (const draw of pendingCharts.splice(0)) draw();
  setStatus(`Recovery profile of ${personName(patient)} as of ${formatDay(asOf)}.`, 'ready');
  // the person line says the same to sighted users
  $('profile-status').classList.add('visually-hidden');
}

const pendingCharts = [];

/** One measure: a summary of baseline, latest and change, a chart of every score, and the scores as a table. */
function measureFigure(m, series, info) {
  const coding = value(part(m, 'code'));
  const code = coding.code;
  const about = info.get(code) ?? {};
  const latest = point(part(m, 'latest'));
  const baseline = point(part(m, 'baseline'));
  const change = value(part(m, 'change'));
  const reliable = value(part(m, 'reliable-change'));
  const threshold = value(part(m, 'reliable-change-threshold'));
  const count = value(part(m, 'count'));
  const boolean = typeof latest.value === 'boolean';
  const name = coding.display ?? about.display ?? code;

  const figure = document.createElement('figure');
  figure.className = 'measure';
  figure.dataset.code = code;
  figure.dataset.reliableChange = reliable;
  const caption = document.createElement('figcaption');
  const h3 = document.createElement('h3');
  h3.textContent = name;
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.append(
    'Baseline ', strong(shown(baseline.value), 'baseline', baseline.value), ` on ${formatDay(baseline.date)}`,
    count > 1 ? ' → latest ' : '', count > 1 ? strong(shown(latest.value), 'latest', latest.value) : '',
    count > 1 ? ` on ${formatDay(latest.date)}` : '', '. ',
  );
  if (!boolean && count > 1) {
    summary.append('Change ', strong(signed(change), 'change', change), '. ');
  } else if (boolean && count > 1) {
    summary.append(change === 'unchanged' ? 'Unchanged. ' : `Changed to ${shown(latest.value)}. `);
  }
  const verdict = document.createElement('span');
  verdict.className = `reliable-change ${reliable}`;
  verdict.dataset.reliableChange = reliable;
  verdict.textContent = reliableText(reliable, count, threshold, boolean);
  summary.append(verdict, ` ${count} score${count === 1 ? '' : 's'} in all.`);
  caption.append(h3, summary);

  const points = (series.get(code) ?? []).map(o => ({
    date: o.date,
    value: boolean ? (o.value ? 1 : 0) : o.value,
    label: shown(o.value),
    role: o.id === baseline.id ? 'baseline' : o.id === latest.id ? 'latest' : undefined,
  }));
  if (points.length === 0) {
    // the Observations could not be listed: at least the two the profile names
    points.push({ date: baseline.date, value: Number(baseline.value), role: 'baseline' });
    if (count > 1) points.push({ date: latest.date, value: Number(latest.value), role: 'latest' });
  }
  const box = document.createElement('div');
  box.className = 'chart-box';
  const description = `${name}: ${points.length} score${points.length === 1 ? '' : 's'} from ${formatDay(points[0].date)}`
    + ` to ${formatDay(points.at(-1)?.date)}. ${summary.textContent}`;
  pendingCharts.push(() => timeChart(box, {
    points,
    min: boolean ? 0 : about.low,
    max: boolean ? 1 : about.high,
    ticks: boolean ? [{ value: 0, label: 'no' }, { value: 1, label: 'yes' }] : undefined,
    step: boolean,
    band: threshold ?? undefined,
    title: `${name} over time`,
    description,
  }));

  const details = document.createElement('details');
  const summaryEl = document.createElement('summary');
  summaryEl.textContent = `${name}: every score as a table`;
  details.append(summaryEl, table(`${name} scores`, ['Date', 'Score', ''],
    [...points].sort((a, b) => Date.parse(a.date) - Date.parse(b.date))
      .map(p => [formatDay(p.date), { text: p.label ?? formatNumber(p.value), number: true }, p.role ?? ''])));
  figure.append(caption, box, details);
  return figure;
}

function reliableText(reliable, count, threshold, boolean) {
  switch (reliable) {
    case 'improved': return `Reliable improvement (a change of at least ${formatNumber(threshold)}).`;
    case 'deteriorated': return `Reliable deterioration (a change of at least ${formatNumber(threshold)}).`;
    case 'no-reliable-change': return `No reliable change (less than ${formatNumber(threshold)}).`;
    default:
      if (count < 2) return 'One score so far: no change to judge.';
      if (boolean) return 'Reliable change does not apply to a yes/no measure.';
      return 'No verified reliable-change threshold for this score.';
  }
}

function domainExtras(code, d, attainment, goals) {
  const out = [];
  if (code === 'individual-recovery-goals') {
    out.push(...goalsBlock(attainment, goals));
    const narrative = part(d, 'narrative');
    if (narrative) {
      const p = document.createElement('p');
      p.className = 'narrative';
      const n = value(part(narrative, 'count'));
      p.textContent = `Recovery narrative: latest account written on ${formatDay(value(part(narrative, 'date')))}`
        + ` (${n} account${n === 1 ? '' : 's'} in all).`;
      out.push(p);
    }
  }
  if (code === 'socially-valued-goals') {
    const statuses = parts(d, 'status');
    if (statuses.length) {
      out.push(table('Employment and accommodation, as the person answered', ['', 'First answer', 'Latest answer', 'Changed'],
        statuses.map(s => {
          const item = value(part(s, 'item'));
          const answer = (which) => {
            const w = part(s, which);
            const c = value(part(w, 'value'));
            return `${c.display ?? c.code} (${formatDay(value(part(w, 'date')))})`;
          };
          return [{ text: STATUS_ITEMS[item] ?? item, header: true }, answer('baseline'), answer('latest'),
            value(part(s, 'changed')) ? 'yes' : 'no'];
        }), 'status-table stack'));
    }
  }
  if (code === 'service-use') {
    const windows = parts(d, 'service-use');
    if (windows.length) {
      const heads = windows.map(w => {
        const period = value(part(w, 'period'));
        return `${WINDOWS[value(part(w, 'window'))] ?? value(part(w, 'window'))} (${formatDay(period.start)} – ${formatDay(period.end)})`;
      });
      const t = table('Service use (figures only)', ['', ...heads],
        Object.entries(SERVICE_FIGURES).map(([figure, label]) => [
          { text: label, header: true },
          ...windows.map(w => ({ text: formatNumber(value(part(w, figure))), number: true, data: { figure, window: value(part(w, 'window')) } })),
        ]), 'service-use-table');
      out.push(t);
      const note = value(part(d, 'note'));
      if (note) {
        const p = document.createElement('p');
        p.className = 'hint';
        p.textContent = note;
        out.push(p);
      }
    }
  }
  return out;
}

/** GAS: the goals scored with their latest levels (and what each level means for the goal), and the T-score. */
function goalsBlock(attainment, goals) {
  const out = [];
  const scored = params(attainment, 'goal');
  const unrated = params(attainment, 'unrated-goal');
  if (!scored.length && !unrated.length) return out;
  const h3 = document.createElement('h3');
  h3.textContent = 'Goals (Goal Attainment Scaling)';
  out.push(h3);
  const byId = new Map(goals.map(g => [`Goal/${g.id}`, g]));
  const tScore = value(param(attainment, 't-score'));
  const p = document.createElement('p');
  p.className = 't-score';
  if (tScore !== undefined) {
    p.append('GAS T-score ', strong(formatNumber(Math.round(tScore * 10) / 10), 't-score', tScore),
      ` over ${scored.length} rated goal${scored.length === 1 ? '' : 's'}`
      + ` (50 means the goals were attained as expected, above 50 better, below 50 less than expected).`);
  } else {
    p.textContent = 'No T-score yet: no goal has been rated.';
  }
  out.push(p);
  if (scored.length) {
    out.push(table('Rated goals', ['Goal', 'Weight', 'Baseline level', 'Latest level', 'Rated on'], scored.map(g => {
      const ref = value(part(g, 'goal'));
      const level = value(part(g, 'level'));
      const goal = byId.get(ref.reference);
      const meaning = levelDescription(goal, level);
      return [
        { text: ref.display ?? goal?.description?.text ?? ref.reference, header: true },
        { text: formatNumber(value(part(g, 'weight'))), number: true },
        { text: signed(value(part(g, 'baseline-level'))), number: true },
        { text: `${signed(level)}${meaning ? ` — ${meaning}` : ''}`, data: { level: String(level) } },
        formatDay(value(part(g, 'date'))),
      ];
    }), 'goals-table stack'));
  }
  if (unrated.length) {
    const note = document.createElement('p');
    note.textContent = `Not rated yet: ${unrated.map(g => value(part(g, 'goal')).display ?? value(part(g, 'goal')).reference).join('; ')}.`;
    out.push(note);
  }
  return out;
}

function levelDescription(goal, level) {
  for (const e of goal?.extension ?? []) {
    if (e.url !== LEVEL_DESCRIPTION) continue;
    const l = e.extension?.find(x => x.url === 'level')?.valueInteger;
    if (l === level) return e.extension?.find(x => x.url === 'description')?.valueString;
  }
  return undefined;
}

/** Score Observations by code: date, value, id, in date order; only those the profile counts. */
function seriesByCode(observations) {
  const out = new Map();
  for (const o of observations) {
    if (!COUNTED.has(o.status)) continue;
    const code = o.code?.coding?.find(c => c.system === SCORE_SYSTEM)?.code;
    const v = o.valueQuantity?.value ?? o.valueInteger ?? o.valueBoolean;
    if (!code || v === undefined || !o.effectiveDateTime) continue;
    if (!out.has(code)) out.set(code, []);
    out.get(code).push({ id: `Observation/${o.id}`, date: o.effectiveDateTime, value: v });
  }
  for (const list of out.values()) list.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  return out;
}

/** Display, lowest and highest value of each score code, from the recovery-score CodeSystem. */
function scoreInfo(codeSystem) {
  const out = new Map();
  for (const c of codeSystem?.concept ?? []) {
    const prop = (name) => {
      const p = c.property?.find(x => x.code === name);
      return p?.valueDecimal ?? p?.valueInteger ?? p?.valueCode;
    };
    const [low, high] = DEFAULT_RANGES[c.code] ?? [];
    out.set(c.code, { display: c.display, low: prop('range-low') ?? low, high: prop('range-high') ?? high });
  }
  return out;
}

function point(p) {
  return { value: value(part(p, 'value')), date: value(part(p, 'date')), id: value(part(p, 'observation'))?.reference };
}

function strong(text, name, raw) {
  const b = document.createElement('strong');
  b.setAttribute(`data-${name}`, JSON.stringify(raw));
  b.textContent = text;
  return b;
}

function shown(v) {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return formatNumber(Number(v));
}

function signed(v) {
  if (v === undefined || v === null) return '';
  const n = Number(v);
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '0';
}

function setStatus(text, state) {
  const s = $('profile-status');
  s.textContent = text;
  s.dataset.state = state;
  s.classList.toggle('error', state === 'error');
  if (state === 'error') s.setAttribute('role', 'alert');
}
