// An organisation's Box 2 answers and key-challenge ratings from its latest self-assessment, with the change since
// the previous one (Organization/{id}/$recovery-indicators, contract §4).
import { FhirClient } from '../lib/fhir.js';
import { formatDay } from '../lib/chart.js';
import { part, parts, param, value } from '../lib/parameters.js';
import { table } from '../lib/table.js';
import { connectApp, showSignedIn } from './session.js';

const $ = (id) => document.getElementById(id);
const ui = {
  select: $('organisation'),
  status: $('org-status'),
  box2: $('box2'),
  box2When: $('box2-when'),
  box2Table: $('box2-table'),
  challenges: $('challenges'),
  challengesWhen: $('challenges-when'),
  challengesTable: $('challenges-table'),
};
let client;
let showing = 0;

start().catch(e => setStatus(`Could not load the organisations: ${e.message}`, 'error'));

async function start() {
  const connection = await connectApp();
  client = new FhirClient(connection);
  showSignedIn(client, connection);
  const organisations = await client.searchAll('Organization?_count=200&_elements=name,partOf');
  organisations.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  ui.select.replaceChildren(new Option('Choose an organisation…', ''),
    ...organisations.map(o => new Option(o.partOf ? `${o.name ?? o.id} (team)` : (o.name ?? o.id), o.id)));
  ui.select.disabled = false;
  ui.select.addEventListener('change', () => show(ui.select.value));
  $('choose').addEventListener('submit', e => e.preventDefault());
  const wanted = new URLSearchParams(location.search).get('organization');
  if (wanted && organisations.some(o => o.id === wanted)) {
    ui.select.value = wanted;
    await show(wanted);
  } else {
    setStatus(`${organisations.length} organisations. Choose one to see its self-assessments.`, 'ready');
  }
}

async function show(id) {
  const turn = ++showing;
  history.replaceState(null, '', id ? `?organization=${encodeURIComponent(id)}` : location.pathname);
  ui.box2.hidden = true;
  ui.challenges.hidden = true;
  ui.status.dataset.organization = id;
  if (!id) {
    setStatus('Choose an organisation to see its self-assessments.', 'ready');
    return;
  }
  const name = ui.select.selectedOptions[0]?.textContent ?? id;
  setStatus(`Loading the self-assessments of ${name}…`, 'loading');
  let result;
  try {
    result = await client.get(`Organization/${encodeURIComponent(id)}/$recovery-indicators`);
  } catch (e) {
    if (turn === showing) setStatus(`Could not load the self-assessments of ${name}: ${e.message}`, 'error');
    return;
  }
  if (turn !== showing) return;

  const box2 = param(result, 'organisational-indicators');
  const challenges = param(result, 'key-challenges');
  ui.box2When.textContent = when(box2, 'Box 2');
  ui.box2Table.replaceChildren(...(parts(box2, 'indicator').length ? [table('Box 2 questions', ['Question', 'Previous', 'Latest', 'Change'],
    parts(box2, 'indicator').map(i => {
      const latest = value(part(i, 'latest'));
      const previous = value(part(i, 'previous'));
      const changed = value(part(i, 'changed'));
      return [
        { text: label(value(part(i, 'code'))), header: true },
        answer(previous),
        { text: answer(latest), data: { latest: latest?.code ?? '' } },
        { text: changed === undefined ? (latest && !previous ? 'first answer' : '') : changed ? 'changed' : 'unchanged',
          data: { changed: String(changed ?? '') } },
      ];
    }), 'indicator-table stack')] : []));
  ui.box2.hidden = false;

  ui.challengesWhen.textContent = when(challenges, 'key challenges');
  ui.challengesTable.replaceChildren(...(parts(challenges, 'challenge').length ? [table('Key challenges: progress', ['Challenge', 'Previous', 'Latest', 'Change'],
    parts(challenges, 'challenge').map(c => {
      const change = value(part(c, 'change'));
      return [
        { text: label(value(part(c, 'code'))), header: true },
        rating(value(part(c, 'previous')), value(part(c, 'previous-level'))),
        { text: rating(value(part(c, 'latest')), value(part(c, 'latest-level'))), data: { level: String(value(part(c, 'latest-level')) ?? '') } },
        { text: change === undefined ? '' : change === 0 ? 'no change'
          : `${change > 0 ? '+' : '−'}${Math.abs(change)} level${Math.abs(change) === 1 ? '' : 's'}`, data: { change: String(change ?? '') } },
      ];
    }), 'challenge-table stack')] : []));
  ui.challenges.hidden = false;
  setStatus(`Self-assessments of ${name}.`, 'ready');
}

function when(group, what) {
  const latest = value(part(group, 'latest-authored'));
  const previous = value(part(group, 'previous-authored'));
  if (!latest) return `No ${what} self-assessment yet.`;
  return `Latest self-assessment ${formatDay(latest)}`
    + (previous ? `, compared with the one of ${formatDay(previous)}.` : '; there is no earlier one to compare with.');
}

const label = (coding) => coding?.display ?? coding?.code ?? '';
const answer = (coding) => (coding ? coding.display ?? coding.code : '—');
const rating = (coding, level) => (coding ? `${coding.display ?? coding.code}${level !== undefined ? ` (${level})` : ''}` : '—');

function setStatus(text, state) {
  ui.status.textContent = text;
  ui.status.dataset.state = state;
  ui.status.classList.toggle('error', state === 'error');
}
