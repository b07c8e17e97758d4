// Building the page. Everything that came from the host is inserted as text, never as HTML.

/** An element with attributes (strings; "on..." keys take functions) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of {@code node}. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? String(value) : value.toFixed(1)) + ' ' + units[unit];
}

export function time(millis) {
  return millis ? new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}

export function duration(seconds) {
  const s = Math.floor(Number(seconds) || 0);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return (d ? d + ' d ' : '') + (d || h ? h + ' h ' : '') + m + ' min';
}

/** What an error answer says, for a person: message and, when it explains more, its data. */
export function describe(error) {
  if (!error) return '';
  const data = error.data;
  let detail = '';
  if (typeof data === 'string') detail = data;
  else if (data && typeof data.detail === 'string') detail = data.detail;
  else if (data && typeof data === 'object') detail = JSON.stringify(data);
  const message = String(error.message || error).replace(/\.$/, '');
  return message + (detail && detail !== error.message ? ': ' + detail : '')
      + (error.code ? ' (' + error.code + ')' : '');
}
