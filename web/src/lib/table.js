// Tables of figures, built with the DOM (never innerHTML).

/** A table; a cell is text or {text, number, header, data, title, className}. */
export function table(caption, heads, rows, className) {
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  // a table wider than a phone scrolls sideways: keyboard users reach it with Tab and scroll it with the arrows
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', caption);
  const t = document.createElement('table');
  if (className) t.className = className;
  const c = document.createElement('caption');
  c.textContent = caption;
  const thead = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of heads) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    hr.append(th);
  }
  thead.append(hr);
  const tbody = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    row.forEach((cell, i) => {
      const spec = typeof cell === 'object' ? cell : { text: cell };
      const td = document.createElement(spec.header ? 'th' : 'td');
      if (spec.header) td.scope = 'row';
      td.className = [spec.number ? 'number' : '', spec.className ?? ''].join(' ').trim();
      if (!td.className) td.removeAttribute('class');
      if (spec.title) td.title = spec.title;
      for (const [k, v] of Object.entries(spec.data ?? {})) td.dataset[k] = v;
      // a table that stacks on a phone labels each cell with its column
      if (!spec.header && heads[i]) td.dataset.label = heads[i];
      td.textContent = spec.text ?? '';
      tr.append(td);
    });
    tbody.append(tr);
  }
  t.append(c, thead, tbody);
  wrap.append(t);
  return wrap;
}
