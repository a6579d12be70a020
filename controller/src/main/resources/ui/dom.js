// Building the page from data without ever parsing data as HTML: every value is set with
// textContent or as an attribute from a fixed list, never as markup (docs/dashboard.md).

const ATTRIBUTES = new Set([
  'id', 'type', 'name', 'value', 'for', 'href', 'role', 'title', 'placeholder', 'min', 'max',
  'step', 'scope', 'colspan', 'autocomplete', 'tabindex', 'required', 'disabled', 'hidden',
  'aria-label', 'aria-current', 'aria-live', 'aria-describedby', 'aria-labelledby',
  'aria-sort', 'aria-pressed', 'inputmode', 'list', 'method',
]);

/**
 * Creates an element: h('td', {class: 'x', key: 'line-a'}, 'text', child, ...).
 * Strings become text nodes; null, undefined and false children are skipped; arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'key') el.dataset.key = String(v);
    else if (k === 'test') el.dataset.test = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (ATTRIBUTES.has(k)) el.setAttribute(k, v === true ? '' : String(v));
    else throw new Error('attribute not allowed: ' + k);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces the children of el, keeping keyboard focus on the element with the same key. */
export function replace(el, ...children) {
  const active = document.activeElement;
  const key = active && el.contains(active) && active.dataset ? active.dataset.key : undefined;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const again = el.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (again) again.focus();
  }
}

/** A table with a caption, column headers and rows (arrays of cells: strings or nodes). */
export function table(caption, headers, rows, props = {}) {
  return h('div', {class: 'table-wrap'},
    h('table', props,
      h('caption', {text: caption}),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', {scope: 'col', text: t})))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', {colspan: headers.length, class: 'muted', text: 'none'}))
        : rows.map((r) => h('tr', {}, r.map((c, i) => labelled(
          c instanceof Node && c.tagName === 'TD' ? c : h('td', {}, c), headers[i])))))));
}

/** Names the cell's column, for the one-column layout of narrow screens (app.css). */
function labelled(td, header) {
  td.dataset.label = header || '';
  return td;
}
