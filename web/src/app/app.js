// The form filler: lists the server's Questionnaires, renders the chosen one with LHC-Forms (which evaluates
// the SDC calculatedExpression score items as the user answers), and stores the QuestionnaireResponse.
import { FhirClient, issueMessages } from '../lib/fhir.js';
import { connectApp, showSignedIn } from './session.js';

const SCORE_SYSTEM = 'https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score';
const CALCULATED = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

const $ = (id) => document.getElementById(id);
const ui = {
  select: $('questionnaire'),
  status: $('app-status'),
  section: $('form-section'),
  title: $('form-title'),
  notice: $('form-notice'),
  form: $('lforms-form'),
  scores: $('scores'),
  scoreList: $('score-list'),
  submitForm: $('submit-form'),
  subjectLabel: $('subject-label'),
  subjectHint: $('subject-hint'),
  subject: $('subject-id'),
  subjectOptions: $('subject-options'),
  submit: $('submit'),
  result: $('result'),
  stored: $('stored-scores'),
};

let client;
let connection;
const questionnaires = new Map();
let current = null; // {questionnaire, scoreItems, subjectType}
let showing = 0; // the latest choice wins when the user picks again while a form is still loading

start().catch(e => setStatus(`Could not load the questionnaires: ${e.message}`, 'error'));

async function start() {
  connection = await connectApp();
  client = new FhirClient(connection);
  showSignedIn(client, connection);
  await customElements.whenDefined('wc-lhc-form');
  // answerValueSet expansions come from this server, not from a terminology server elsewhere
  LForms.Util.setFHIRContext(client.forLForms());

  const found = await client.searchAll('Questionnaire?_count=100');
  found.sort((a, b) => label(a).localeCompare(label(b)));
  ui.select.replaceChildren(new Option('Choose a questionnaire…', ''));
  for (const q of found) {
    questionnaires.set(q.id, q);
    ui.select.add(new Option(label(q), q.id));
  }
  ui.select.disabled = false;
  ui.select.addEventListener('change', () => show(ui.select.value));
  ui.submitForm.addEventListener('submit', submit);
  for (const type of ['input', 'change', 'click', 'keyup']) ui.form.addEventListener(type, scheduleScores);
  // a field that gets focus scrolls into view above the sticky score panel, not under it
  new ResizeObserver(() => {
    const sticky = !ui.scores.hidden && getComputedStyle(ui.scores).position === 'sticky';
    document.documentElement.style.scrollPaddingBottom = sticky ? `${ui.scores.offsetHeight + 16}px` : '';
  }).observe(ui.scores);

  const wanted = new URLSearchParams(location.search).get('questionnaire');
  if (wanted && questionnaires.has(wanted)) {
    ui.select.value = wanted;
    await show(wanted);
  } else {
    setStatus(`${found.length} questionnaires available. Choose one to fill in.`, 'ready');
  }
}

async function show(id) {
  const turn = ++showing;
  const q = questionnaires.get(id);
  history.replaceState(null, '', id ? `?questionnaire=${encodeURIComponent(id)}` : location.pathname);
  ui.result.replaceChildren();
  ui.stored.replaceChildren();
  ui.stored.hidden = true;
  if (!q) {
    current = null;
    ui.section.hidden = true;
    LForms.Util.removeFormsFromPage(ui.form);
    setStatus('Choose a questionnaire to fill in.', 'ready');
    return;
  }
  setStatus(`Loading ${label(q)}…`, 'loading');
  ui.section.hidden = false;
  ui.title.textContent = label(q);
  ui.notice.hidden = q.status !== 'draft';
  ui.notice.textContent = 'Draft: the wording of this questionnaire has not been verified yet.';

  const subjectType = q.subjectType?.[0] ?? 'Patient';
  current = { questionnaire: q, subjectType, scoreItems: flatten(q.item).filter(isScore) };
  prepareSubject(subjectType);
  renderScorePanel();
  try {
    // a copy, because LHC-Forms changes what it is given; answer lists show the labels only, as on the paper
    // forms (the weights stay in the answers)
    await LForms.Util.addFormToPage(structuredClone(q), ui.form, { displayScoreWithAnswerText: false });
  } catch (e) {
    if (turn === showing) setStatus(`Could not show ${label(q)}: ${describe(e)}`, 'error');
    return;
  }
  if (turn !== showing) return;
  updateScores();
  scheduleScores();
  setStatus(`${label(q)} is ready to fill in.`, 'ready');
}

// LHC-Forms has no change event and calculates asynchronously (slowly on a busy phone): after anything the
// user does in the form, re-read the scores for a few seconds.
let watchUntil = 0;
let watching;
function scheduleScores() {
  watchUntil = Date.now() + 5000;
  watching ??= setInterval(() => {
    updateScores();
    if (Date.now() > watchUntil) {
      clearInterval(watching);
      watching = undefined;
    }
  }, 200);
}

function renderScorePanel() {
  ui.scores.hidden = current.scoreItems.length === 0;
  ui.scores.classList.toggle('many', current.scoreItems.length > 2);
  ui.scoreList.replaceChildren(...current.scoreItems.map(item => {
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = item.text ?? item.linkId;
    const dd = document.createElement('dd');
    dd.dataset.score = item.linkId;
    row.append(dt, dd);
    return row;
  }));
}

function updateScores() {
  if (!current || current.scoreItems.length === 0) return;
  const qr = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', ui.form);
  const answers = new Map(flatten(qr?.item).map(i => [i.linkId, i.answer?.[0]]));
  for (const dd of ui.scoreList.querySelectorAll('dd')) {
    const value = answerValue(answers.get(dd.dataset.score));
    const text = value === undefined ? 'not yet' : formatValue(value);
    if (dd.textContent !== text) dd.textContent = text;
    dd.classList.toggle('pending', value === undefined);
    // the unrounded value, for whoever reads the page programmatically
    if (value === undefined) delete dd.dataset.value;
    else dd.dataset.value = JSON.stringify(value);
  }
}

async function prepareSubject(type) {
  ui.subjectLabel.textContent = `${type} id`;
  ui.subjectHint.textContent = type === 'Patient'
    ? "The id of the person's Patient record on this server."
    : 'The id of the Organization record on this server.';
  // the person picked at sign-in; an organisation's form starts empty
  ui.subject.value = type === 'Patient' ? (connection.patientId ?? '') : '';
  ui.subjectOptions.replaceChildren();
  try {
    const found = await client.searchAll(`${type}?_count=50&_sort=-_lastUpdated&_elements=name`);
    ui.subjectOptions.replaceChildren(...found.map(r => new Option(`${subjectName(r)} (${r.id})`, r.id)));
  } catch {
    // suggestions only; the user can still type an id
  }
}

async function submit(event) {
  event.preventDefault();
  if (!current) return;
  const id = ui.subject.value.trim();
  if (!ID.test(id)) {
    showResult('error', `Enter the ${current.subjectType} id (letters, digits, "-" and "." only).`);
    ui.subject.focus();
    return;
  }
  const problems = LForms.Util.checkValidity(ui.form);
  if (problems?.length) {
    showResult('error', 'Some answers are missing or not valid:', problems.map(p => ({ text: p })));
    return;
  }
  const qr = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', ui.form);
  delete qr.id;
  delete qr.meta; // LHC-Forms adds a generic profile; the server decides the meta
  qr.questionnaire = versioned(current.questionnaire);
  qr.status = 'completed';
  qr.subject = { reference: `${current.subjectType}/${id}` };
  qr.authored = new Date().toISOString();

  ui.submit.disabled = true;
  ui.stored.replaceChildren();
  ui.stored.hidden = true;
  showResult('info', 'Sending…');
  try {
    const r = await client.create(qr);
    if (r.status === 201) {
      const stored = r.body?.id ?? idFromLocation(r.headers.get('Location'));
      showResult('ok', `Stored: QuestionnaireResponse/${stored} (HTTP 201).`, [], stored);
      await showStoredScores(stored);
    } else {
      const issues = issueMessages(r.body);
      showResult('error', `The server did not store the answers (HTTP ${r.status}).`,
        issues.length ? issues : [{ text: 'No further details were given.' }]);
    }
    ui.result.dataset.status = String(r.status);
  } catch (e) {
    showResult('error', `The server could not be reached: ${e.message}`);
  } finally {
    ui.submit.disabled = false;
  }
}

/** The score Observations the server made from the stored response, next to the live scores. */
async function showStoredScores(responseId) {
  const observations = await client.searchAll(`Observation?derived-from=QuestionnaireResponse/${encodeURIComponent(responseId)}`)
    .catch(e => { ui.stored.textContent = `The server's scores could not be read: ${e.message}`; return null; });
  if (!observations) return;
  const h = document.createElement('h3');
  h.textContent = observations.length ? "Scores stored by the server" : 'The server stored no score for these answers.';
  const dl = document.createElement('dl');
  for (const o of observations) {
    const coding = o.code?.coding?.find(c => c.system === SCORE_SYSTEM) ?? o.code?.coding?.[0];
    const value = o.valueQuantity?.value ?? o.valueInteger ?? o.valueBoolean;
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = coding?.display ?? coding?.code ?? 'score';
    const dd = document.createElement('dd');
    dd.dataset.storedScore = coding?.code ?? '';
    dd.dataset.value = JSON.stringify(value);
    dd.dataset.observation = o.id;
    dd.textContent = formatValue(value);
    row.append(dt, dd);
    dl.append(row);
  }
  const parts = [h, dl];
  if (current?.subjectType === 'Patient') {
    const a = document.createElement('a');
    a.href = 'profile.html';
    a.textContent = 'See the recovery profile';
    parts.push(a);
  }
  ui.stored.replaceChildren(...parts);
  ui.stored.hidden = false;
}

function showResult(kind, message, issues = [], storedId) {
  ui.result.className = `result ${kind}`;
  delete ui.result.dataset.status;
  delete ui.result.dataset.id;
  const p = document.createElement('p');
  p.textContent = message;
  const parts = [p];
  if (storedId) ui.result.dataset.id = storedId;
  if (issues.length) {
    const ul = document.createElement('ul');
    for (const i of issues) {
      const li = document.createElement('li');
      li.textContent = i.where ? `${i.text} (at ${i.where})` : i.text;
      ul.append(li);
    }
    parts.push(ul);
  }
  ui.result.replaceChildren(...parts);
  if (kind !== 'info') ui.result.focus();
}

function setStatus(text, state) {
  ui.status.textContent = text;
  ui.status.dataset.state = state;
  ui.status.dataset.questionnaire = current?.questionnaire.id ?? '';
  ui.status.classList.toggle('error', state === 'error');
  if (state === 'error') ui.status.setAttribute('role', 'alert');
}

const label = (q) => q.title ?? q.name ?? q.id;
const isScore = (item) => item.extension?.some(e => e.url === CALCULATED);
const versioned = (q) => (q.version ? `${q.url}|${q.version}` : q.url);
const idFromLocation = (loc) => loc?.match(/\/QuestionnaireResponse\/([^/]+)/)?.[1];

function flatten(items, out = []) {
  for (const it of items ?? []) {
    out.push(it);
    flatten(it.item, out);
    for (const a of it.answer ?? []) flatten(a.item, out);
  }
  return out;
}

function answerValue(answer) {
  if (!answer) return undefined;
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  return key ? answer[key] : undefined;
}

function formatValue(v) {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  if (v && typeof v === 'object') return v.display ?? v.code ?? (v.value !== undefined ? String(v.value) : JSON.stringify(v));
  return String(v);
}

function subjectName(r) {
  if (typeof r.name === 'string') return r.name;
  const n = r.name?.[0];
  return n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ') ?? r.id;
}

function describe(e) {
  if (e instanceof Error) return e.message;
  if (Array.isArray(e)) return e.map(describe).join('; ');
  return typeof e === 'string' ? e : JSON.stringify(e);
}
