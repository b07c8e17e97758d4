// Small charts drawn as SVG: a line over the last minutes, and bars per interval. No library: these
// two shapes are all the console draws.

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** A line of {@code values} (numbers, oldest first) with its latest value written beside it as text. */
export function sparkline(values, label, format = v => v.toFixed(1)) {
  const width = 90;
  const height = 24;
  const chart = svg('svg', {width, height, viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img'});
  const latest = values.length ? values[values.length - 1] : 0;
  const title = svg('title', {});
  title.textContent = label + ': ' + format(latest);
  chart.append(title);
  const max = Math.max(...values, 0);
  if (values.length > 1) {
    const step = width / (values.length - 1);
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (max ? v / max : 0) * (height - 4)).toFixed(1)}`);
    chart.append(svg('polyline', {points: points.join(' '), fill: 'none', class: 'line'}));
  }
  const figure = document.createElement('span');
  figure.className = 'metric';
  const caption = document.createElement('span');
  caption.className = 'metric-value';
  caption.textContent = label + ' ' + format(latest);
  figure.append(chart, caption);
  return figure;
}

/**
 * Bars of bytes up and down per interval: {@code samples} are [{t, up, down}] of cumulative totals,
 * oldest first; each bar is the growth from one sample to the next.
 */
export function usageBars(samples) {
  const width = 600;
  const height = 140;
  const chart = svg('svg', {width: '100%', height, viewBox: `0 0 ${width} ${height}`, class: 'usage', role: 'img',
    preserveAspectRatio: 'none', 'data-intervals': Math.max(0, samples.length - 1)});
  const deltas = [];
  for (let i = 1; i < samples.length; i++) {
    deltas.push({up: Math.max(0, samples[i].up - samples[i - 1].up), down: Math.max(0, samples[i].down - samples[i - 1].down)});
  }
  const max = Math.max(1, ...deltas.map(d => d.up + d.down));
  const bar = width / Math.max(deltas.length, 30);
  deltas.slice(-30).forEach((d, i) => {
    const down = (d.down / max) * (height - 10);
    const up = (d.up / max) * (height - 10);
    chart.append(svg('rect', {x: i * bar + 1, y: height - down, width: bar - 2, height: down, class: 'down'}));
    chart.append(svg('rect', {x: i * bar + 1, y: height - down - up, width: bar - 2, height: up, class: 'up'}));
  });
  const title = svg('title', {});
  title.textContent = 'bytes per interval: down (dark) and up (light)';
  chart.append(title);
  return chart;
}
