// The regional hub's dashboard: choose a measure, a period and a grouping; Observation/$aggregate answers with a
// MeasureReport whose cells are under disclosure control. A chart and a table of the strata, suppressed cells shown as
// suppressed, and the table as CSV.
import { connect } from '../lib/smart.js';
import { FhirClient } from '../lib/fhir.js';
import { barChart, formatNumber } from '../lib/chart.js';
import { table } from '../lib/table.js';

// A public SMART client with one scope: the aggregate operations and nothing that returns a person's data.
const CLIENT_ID = 'demo-hub-web';
const SCOPE = 'user/MeasureReport.rs';

const CANON = 'https://w3id.org/recovery-outcomes/fhir';
const SCORE_SYSTEM = `${CANON}/CodeSystem/recovery-score`;
const STATISTIC = `${CANON}/StructureDefinition/aggregate-statistic`;
const ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
// contract §2.3 (the hub may not read the CodeSystem: its token reaches the aggregates only)
const MEASURES = [
  ['wemwbs-total', 'WEMWBS total (14–70)'],
  ['swemwbs-metric', 'SWEMWBS metric score (7–35)'],
  ['swemwbs-raw', 'SWEMWBS raw sum (7–35)'],
  ['mansa-mean', 'MANSA mean satisfaction (1–7)'],
  ['qpr15-total', 'QPR-15 total (0–60)'],
  ['qpr22-intrapersonal', 'QPR-22 intrapersonal sub-scale (0–68)'],
  ['qpr22-interpersonal', 'QPR-22 interpersonal sub-scale (0–20)'],
  ['inspire-support', 'INSPIRE Support sub-scale (0–100)'],
  ['inspire-relationship', 'INSPIRE Relationship sub-scale (0–100)'],
  ['inspire-brief', 'Brief INSPIRE (0–100)'],
  ['gas-t-score', 'GAS T-score'],
  ['gas-attainment', 'GAS level of one goal (−2 to +2)'],
  ['inclusion-people', 'Inclusion Web People score'],
  ['inclusion-places', 'Inclusion Web Places score'],
  ['inclusion-spread', 'Inclusion Web Clock Spread'],
  ['employment-paid', 'In paid employment (share of people)'],
  ['accommodation-settled', 'In settled accommodation (share of people)'],
  ['recovery-practice-count', 'Box 1 practices in place for the person'],
];
// the table's columns: [heading, how to read the figure from a group or stratum]
const COLUMNS = [
  ['People measured', (s) => population(s, 'measured')],
  ['Mean', (s) => measureScore(s)],
  ['Median', (s) => statistic(s, 'median')],
  ['Standard deviation', (s) => statistic(s, 'standard-deviation')],
  ['With a later score', (s) => population(s, 'with-change')],
  ['Mean change', (s) => statistic(s, 'mean-change')],
  ['Reliably improved', (s) => statistic(s, 'reliably-improved')],
  ['Reliably deteriorated', (s) => statistic(s, 'reliably-deteriorated')],
  ['% reliably improved', (s) => statistic(s, 'percent-reliably-improved')],
  ['% reliably deteriorated', (s) => statistic(s, 'percent-reliably-deteriorated')],
];
const CHARTED = {
  mean: ['Mean of the latest scores', measureScore],
  measured: ['People measured', (s) => population(s, 'measured')],
  'mean-change': ['Mean change since baseline', (s) => statistic(s, 'mean-change')],
  'percent-reliably-improved': ['% reliably improved', (s) => statistic(s, 'percent-reliably-improved')],
};
const GROUPS = { organization: 'Organisation', year: 'Year', quarter: 'Quarter', month: 'Month' };

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('query'),
  measure: $('measure'),
  period: $('period'),
  custom: $('custom-period'),
  from: $('from'),
  to: $('to'),
  groupBy: $('group-by'),
  statistic: $('statistic'),
  show: $('show'),
  status: $('hub-status'),
  results: $('results'),
  title: $('results-title'),
  periodText: $('results-period'),
  chart: $('chart'),
  table: $('table'),
  csv: $('csv'),
};
let client;
let asking = 0;
let last = null; // {report, request} of the figures shown

start().catch(e => setStatus(`Could not start the dashboard: ${e.message}`, 'error'));

async function start() {
  const connection = await connect({ clientId: CLIENT_ID, scope: SCOPE, home: './' });
  client = new FhirClient(connection);
  const signedIn = $('signed-in');
  signedIn.textContent = connection.accessToken ? `Signed in as a regional hub (${connection.scope || SCOPE}): aggregate figures only.` : '';
  signedIn.hidden = !connection.accessToken;

  ui.measure.replaceChildren(...MEASURES.map(([code, label]) => new Option(label, code)));
  ui.period.replaceChildren(...periods().map(p => new Option(p.label, p.value)));
  ui.period.addEventListener('change', () => { ui.custom.hidden = ui.period.value !== 'custom'; });
  ui.statistic.addEventListener('change', () => last && render(last.report, last.request));
  ui.form.addEventListener('submit', (e) => { e.preventDefault(); ask(); });

  // the choice can come in the address (a bookmark or a shared link)
  const q = new URLSearchParams(location.search);
  if (q.has('measure')) ui.measure.value = q.get('measure');
  if (q.has('group-by')) ui.groupBy.value = q.get('group-by');
  if (q.has('period')) ui.period.value = q.get('period');
  ui.custom.hidden = ui.period.value !== 'custom';
  setStatus('Choose a measure, a period and a grouping, then show the figures.', 'ready');
  if (q.has('measure')) await ask();
}

/** All time, the last 12 whole months, the last three financial years, or months of the user's own. */
function periods() {
  const now = new Date();
  const month = (y, m) => `${y}-${String(m).padStart(2, '0')}`;
  const thisMonth = month(now.getFullYear(), now.getMonth() + 1);
  const yearAgo = month(now.getFullYear() - 1, now.getMonth() + 1);
  const out = [
    { value: 'all', label: 'All time' },
    { value: `${yearAgo}/${thisMonth}`, label: 'The last 12 whole months' },
  ];
  const fyStart = now.getMonth() + 1 >= 4 ? now.getFullYear() : now.getFullYear() - 1;
  for (let y = fyStart; y > fyStart - 3; y--) {
    out.push({ value: `${y}-04/${y + 1}-04`, label: `Financial year ${y}/${String(y + 1).slice(2)} (April ${y} to March ${y + 1})` });
  }
  out.push({ value: 'custom', label: 'Months of my choice' });
  return out;
}

/** The date parameters of the chosen period: [from, until) as whole months, or an error message. */
function chosenPeriod() {
  const v = ui.period.value;
  if (v === 'all') return { dates: [], text: 'All time' };
  if (v !== 'custom') {
    const [from, until] = v.split('/');
    return { dates: [`ge${from}`, `lt${until}`], text: ui.period.selectedOptions[0].textContent };
  }
  const from = ui.from.value.trim();
  const to = ui.to.value.trim();
  const ok = (m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m);
  if ((from && !ok(from)) || (to && !ok(to))) return { error: 'Give the months as year and month, e.g. 2025-04.' };
  if (from && to && from > to) return { error: 'The first month comes after the last.' };
  const dates = [];
  if (from) dates.push(`ge${from}`);
  if (to) dates.push(`le${to}`);
  return { dates, text: `${from || 'the beginning'} to ${to || 'now'}` };
}

async function ask() {
  const period = chosenPeriod();
  if (period.error) {
    setStatus(period.error, 'error');
    (ui.from.value && !/^\d{4}-\d{2}$/.test(ui.from.value.trim()) ? ui.from : ui.to).focus();
    return;
  }
  const request = {
    code: ui.measure.value,
    label: ui.measure.selectedOptions[0].textContent,
    groupBy: ui.groupBy.value,
    period,
  };
  const query = new URLSearchParams({ code: request.code, 'group-by': request.groupBy });
  for (const d of period.dates) query.append('date', d);
  history.replaceState(null, '', `?${new URLSearchParams({ measure: request.code, 'group-by': request.groupBy, period: ui.period.value })}`);
  const turn = ++asking;
  ui.show.disabled = true;
  setStatus('Asking the server…', 'loading');
  try {
    const report = await client.get(`Observation/$aggregate?${query}`);
    if (turn !== asking) return;
    last = { report, request };
    render(report, request);
    setStatus(`Figures for ${request.label}, ${period.text}, by ${GROUPS[request.groupBy].toLowerCase()}.`, 'ready');
  } catch (e) {
    if (turn === asking) setStatus(`The server did not give the figures: ${e.message}`, 'error');
  } finally {
    ui.show.disabled = false;
  }
}

function render(report, request) {
  const group = report.group?.find(g => g.code?.coding?.some(c => c.system === SCORE_SYSTEM && c.code === request.code))
    ?? report.group?.[0];
  const stratifier = group?.stratifier?.find(s => s.code?.some(c => c.coding?.some(x => x.code === request.groupBy)))
    ?? group?.stratifier?.[0];
  const strata = [...(stratifier?.stratum ?? [])].sort((a, b) => stratumLabel(a).localeCompare(stratumLabel(b)));
  const byWhat = GROUPS[request.groupBy];

  ui.title.textContent = `${group?.code?.coding?.[0]?.display ?? request.label} by ${byWhat.toLowerCase()}`;
  ui.periodText.textContent = `Period: ${request.period.text}`
    + (report.period ? ` (${report.period.start} to ${report.period.end})` : '') + '.';

  const [chartName, chartFigure] = CHARTED[ui.statistic.value] ?? CHARTED.mean;
  const bars = strata.map(s => {
    const f = chartFigure(s);
    return { label: stratumLabel(s), value: f.value ?? null, note: f.absent ? absentText(f.absent) : undefined };
  });
  const suppressed = bars.filter(b => b.note === 'suppressed').length;
  barChart(ui.chart, {
    bars,
    min: 0,
    title: `${chartName}: ${request.label} by ${byWhat.toLowerCase()}`,
    description: `${bars.length} ${byWhat.toLowerCase()} groups${suppressed ? `, ${suppressed} suppressed` : ''}. `
      + bars.map(b => `${b.label}: ${b.value === null ? b.note : formatNumber(b.value)}`).join('; '),
  });

  const rows = [
    [{ text: 'All', header: true }, ...COLUMNS.map(([, read]) => cell(read(group ?? {})))],
    ...strata.map(s => [{ text: stratumLabel(s), header: true }, ...COLUMNS.map(([, read]) => cell(read(s)))]),
  ];
  ui.table.replaceChildren(table(`${request.label}: figures by ${byWhat.toLowerCase()}`,
    [byWhat, ...COLUMNS.map(([heading]) => heading)], rows, 'aggregate-table'));

  const csv = [[byWhat, ...COLUMNS.map(([h]) => h)], ...rows.map(r => r.map(c => c.text))]
    .map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  if (ui.csv.href.startsWith('blob:')) URL.revokeObjectURL(ui.csv.href);
  ui.csv.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  ui.csv.download = `${request.code}-by-${request.groupBy}-${ui.period.value.replace(/[^0-9A-Za-z-]+/g, '_')}.csv`;
  ui.results.hidden = false;
}

function cell(f) {
  if (f.absent) {
    return { text: absentText(f.absent), number: true, className: f.absent === 'masked' ? 'suppressed' : 'absent',
      title: f.absent === 'masked' ? 'suppressed: fewer than 8 people' : 'not applicable', data: { absent: f.absent } };
  }
  return { text: f.value === undefined ? '' : formatNumber(f.value), number: true };
}

const absentText = (reason) => (reason === 'masked' ? 'suppressed' : 'n/a');

function stratumLabel(s) {
  const text = s.value?.text ?? s.component?.map(c => c.value?.text).join(', ') ?? '';
  return text.replace(/^Organization\//, '');
}

// The figures of a group or stratum: {value} or {absent: data-absent-reason code}
function population(s, code) {
  const p = s.population?.find(x => x.code?.coding?.some(c => c.code === code));
  return p ? primitive(p, 'count') : {};
}

function measureScore(s) {
  if (!s.measureScore) return {};
  const absent = reason(s.measureScore.extension);
  return absent ? { absent } : { value: s.measureScore.value };
}

function statistic(s, code) {
  const e = s.extension?.find(x => x.url === STATISTIC
    && x.extension?.some(y => y.url === 'statistic' && y.valueCoding?.code === code));
  const v = e?.extension?.find(y => y.url === 'value');
  if (!v) return {};
  const key = Object.keys(v).find(k => /^_?value/.test(k) && k !== 'url');
  const name = key.replace(/^_/, '');
  return primitive(v, name);
}

/** A primitive that may carry a data-absent-reason instead of a value (JSON: "_name": {extension}). */
function primitive(holder, name) {
  const absent = reason(holder[`_${name}`]?.extension);
  if (absent) return { absent };
  return holder[name] === undefined ? {} : { value: holder[name] };
}

function reason(extensions) {
  return extensions?.find(e => e.url === ABSENT)?.valueCode;
}

function csvField(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function setStatus(text, state) {
  ui.status.textContent = text;
  ui.status.dataset.state = state;
  ui.status.classList.toggle('error', state === 'error');
}
