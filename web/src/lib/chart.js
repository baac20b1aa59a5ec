// Small SVG charts drawn here (no chart library): a score over time, and bars per group. Each chart is an image with a
// title and a text description for screen readers; the pages also give the figures as a table. Drawn at the width of
// their container, so text stays readable on a phone, and redrawn when that width changes.
const SVG = 'http://www.w3.org/2000/svg';
let ids = 0;

/**
 * A score over time.
 * @param {HTMLElement} container where the chart goes (its content is replaced)
 * @param {object} o
 * @param {{date: string, value: number, label?: string, role?: 'baseline'|'latest'}[]} o.points the scores, any order
 * @param {number} [o.min] bottom of the scale (the score's lowest possible value)
 * @param {number} [o.max] top of the scale
 * @param {{value: number, label: string}[]} [o.ticks] labelled values instead of numbers (e.g. no / yes)
 * @param {boolean} [o.step] draw steps (a status that holds until it changes) instead of lines
 * @param {number} [o.band] half-width of the band around the baseline inside which a change is not reliable
 * @param {string} o.title
 * @param {string} o.description
 */
export function timeChart(container, o) {
  draw(container, (width) => timeSvg(width, o));
}

/**
 * Bars, one per group; a group without a value (suppressed) is drawn as an empty hatched bar with its reason.
 * @param {HTMLElement} container
 * @param {object} o
 * @param {{label: string, value: number|null, note?: string}[]} o.bars
 * @param {number} [o.min]
 * @param {number} [o.max]
 * @param {string} o.title
 * @param {string} o.description
 */
export function barChart(container, o) {
  draw(container, (width) => barSvg(width, o));
}

function draw(container, render) {
  const paint = () => {
    const width = Math.max(280, Math.floor(container.clientWidth || 480));
    if (container.dataset.drawnWidth === String(width)) return;
    container.dataset.drawnWidth = String(width);
    container.replaceChildren(render(width));
  };
  delete container.dataset.drawnWidth;
  paint();
  container._chartObserver?.disconnect();
  container._chartObserver = new ResizeObserver(() => requestAnimationFrame(paint));
  container._chartObserver.observe(container);
}

function timeSvg(width, o) {
  const points = [...o.points].map(p => ({ ...p, t: Date.parse(p.date) })).sort((a, b) => a.t - b.t);
  const height = 230;
  const pad = { left: 46, right: 18, top: 16, bottom: 40 };
  const values = points.map(p => p.value);
  // the score's whole possible range when it has one, else the data with some room
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const spread = (hi - lo) || Math.abs(hi) * 0.1 || 1;
  let min = o.min ?? lo - spread * 0.15;
  let max = o.max ?? hi + spread * 0.15;
  if (min === max) { min -= 1; max += 1; }
  const t0 = points[0]?.t ?? 0;
  let t1 = points.at(-1)?.t ?? 1;
  if (t1 === t0) t1 = t0 + 86_400_000;
  const spanT = t1 - t0;
  const x = (t) => pad.left + 8 + ((t - t0) / spanT) * (width - pad.left - pad.right - 16);
  const y = (v) => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);

  const svg = root(width, height, o.title, o.description);
  svg.classList.add('chart', 'time-chart');
  const grid = el('g', { class: 'grid' });
  const ticks = o.ticks ?? niceTicks(min, max, 6).map(v => ({ value: v, label: formatNumber(v) }));
  for (const tick of ticks) {
    grid.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(tick.value), y2: y(tick.value) }));
    grid.append(text(tick.label, { x: pad.left - 6, y: y(tick.value) + 4, 'text-anchor': 'end', class: 'tick' }));
  }
  for (const t of timeTicks(t0, t1, width)) {
    grid.append(text(formatMonth(t), { x: x(t), y: height - pad.bottom + 18, 'text-anchor': 'middle', class: 'tick' }));
  }
  svg.append(grid);

  if (o.band !== undefined && points.length) {
    const b = (points.find(p => p.role === 'baseline') ?? points[0]).value;
    const top = Math.min(max, b + o.band);
    const bottom = Math.max(min, b - o.band);
    svg.append(el('rect', {
      class: 'band', x: pad.left, width: width - pad.left - pad.right, y: y(top), height: Math.max(0, y(bottom) - y(top)),
    }, `Within ${formatNumber(o.band)} of the baseline: no reliable change`));
  }

  if (points.length > 1) {
    let d = `M${x(points[0].t)},${y(points[0].value)}`;
    for (const p of points.slice(1)) {
      d += o.step ? `H${x(p.t)}V${y(p.value)}` : `L${x(p.t)},${y(p.value)}`;
    }
    svg.append(el('path', { class: 'line', d }));
  }
  // baseline and latest as the caller says (the server's choice), else the first and the last
  const marked = points.some(p => p.role);
  points.forEach((p, i) => {
    p.shownRole = marked ? (p.role ?? 'score') : i === 0 ? 'baseline' : i === points.length - 1 ? 'latest' : 'score';
  });
  for (const p of points) {
    const role = p.shownRole;
    const label = `${role === 'score' ? '' : role === 'baseline' ? 'Baseline, ' : 'Latest, '}${formatDay(p.date)}: ${p.label ?? formatNumber(p.value)}`;
    const attrs = { class: `point ${role}`, 'data-date': p.date, 'data-value': String(p.value) };
    svg.append(role === 'latest'
      ? el('path', { ...attrs, d: diamond(x(p.t), y(p.value), 7) }, label)
      : el('circle', { ...attrs, cx: x(p.t), cy: y(p.value), r: role === 'baseline' ? 6 : 4 }, label));
  }
  for (const p of points.filter(q => q.shownRole !== 'score')) {
    const baseline = p.shownRole === 'baseline';
    svg.append(text(baseline ? 'Baseline' : 'Latest', {
      x: x(p.t), y: labelY(y(p.value), pad.top, height - pad.bottom), 'text-anchor': baseline ? 'start' : 'end', class: 'marker-label',
    }));
  }
  return svg;
}

function barSvg(width, o) {
  const height = 260;
  const pad = { left: 46, right: 12, top: 16, bottom: 64 };
  const values = o.bars.map(b => b.value).filter(v => v !== null && v !== undefined);
  let min = Math.min(o.min ?? 0, ...values, 0);
  let max = Math.max(o.max ?? 0, ...values);
  if (min === max) max = min + 1;
  const svg = root(width, height, o.title, o.description);
  svg.classList.add('chart', 'bar-chart');
  const defs = el('defs');
  const hatchId = `hatch-${++ids}`;
  const hatch = el('pattern', { id: hatchId, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  hatch.append(el('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch' }));
  defs.append(hatch);
  svg.append(defs);
  const y = (v) => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);
  const grid = el('g', { class: 'grid' });
  for (const v of niceTicks(min, max, 5)) {
    grid.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    grid.append(text(formatNumber(v), { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }));
  }
  svg.append(grid);
  const slot = (width - pad.left - pad.right) / Math.max(1, o.bars.length);
  const barWidth = Math.min(56, slot * 0.7);
  const rotate = o.bars.some(b => b.label.length * 7 > slot);
  o.bars.forEach((b, i) => {
    const cx = pad.left + slot * (i + 0.5);
    const shown = b.value !== null && b.value !== undefined;
    const g = el('g', { class: shown ? 'bar' : 'bar suppressed', 'data-label': b.label, 'data-value': shown ? String(b.value) : '' });
    if (shown) {
      const top = y(Math.max(b.value, 0));
      const h = Math.max(1, Math.abs(y(b.value) - y(0)));
      g.append(el('rect', { x: cx - barWidth / 2, y: top, width: barWidth, height: h }, `${b.label}: ${formatNumber(b.value)}`));
      g.append(text(formatNumber(b.value), { x: cx, y: top - 4, 'text-anchor': 'middle', class: 'value' }));
    } else {
      const top = y(max);
      g.append(el('rect', { x: cx - barWidth / 2, y: top, width: barWidth, height: y(min) - top, fill: `url(#${hatchId})`, class: 'hatched' },
        `${b.label}: ${b.note ?? 'no figure'}`));
      g.append(text(b.note ?? 'no figure', { x: cx, y: y((min + max) / 2), 'text-anchor': 'middle', class: 'note', transform: `rotate(-90 ${cx} ${y((min + max) / 2)})` }));
    }
    const ly = height - pad.bottom + 16;
    g.append(text(b.label, rotate
      ? { x: cx, y: ly, 'text-anchor': 'end', class: 'tick', transform: `rotate(-35 ${cx} ${ly})` }
      : { x: cx, y: ly, 'text-anchor': 'middle', class: 'tick' }));
    svg.append(g);
  });
  svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'axis' }));
  return svg;
}

function root(width, height, title, description) {
  const n = ++ids;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `chart-title-${n} chart-desc-${n}` });
  const t = el('title', { id: `chart-title-${n}` });
  t.textContent = title;
  const d = el('desc', { id: `chart-desc-${n}` });
  d.textContent = description;
  svg.append(t, d);
  return svg;
}

function el(name, attrs = {}, tooltip) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (tooltip) {
    const t = document.createElementNS(SVG, 'title');
    t.textContent = tooltip;
    e.append(t);
  }
  return e;
}

function text(content, attrs) {
  const t = el('text', attrs);
  t.textContent = content;
  return t;
}

function diamond(cx, cy, r) {
  return `M${cx},${cy - r}L${cx + r},${cy}L${cx},${cy + r}L${cx - r},${cy}Z`;
}

function labelY(py, top, bottom) {
  return py - 12 < top + 4 ? Math.min(bottom - 4, py + 20) : py - 12;
}

/** About `count` round values from min to max. */
export function niceTicks(min, max, count) {
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function timeTicks(t0, t1, width) {
  const wanted = Math.max(2, Math.min(6, Math.floor(width / 110)));
  if (t1 - t0 <= 86_400_000) return [t0];
  return Array.from({ length: wanted }, (_, i) => t0 + ((t1 - t0) * i) / (wanted - 1));
}

export function formatNumber(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 10) / 10);
}

export function formatDay(date) {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? String(date)
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
}

function formatMonth(t) {
  return new Date(t).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'Europe/London' });
}
