import { h, s } from './dom.js';

const WIDTH = 420;
const HEIGHT = 170;
const PAD = { left: 50, right: 8, top: 8, bottom: 20 };

/**
 * A time chart in hand-written SVG. `series`: [{ label, values: (number|null)[], kind: 'line'|'bar' }];
 * `starts`: the bucket start times; `format`: the value formatter for the axis and titles.
 */
export function timeChart({ title, starts, series, format, timeLabel }) {
  const all = series.flatMap((one) => one.values).filter((value) => value !== null && value !== undefined);
  const max = niceMax(Math.max(0, ...all));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, starts.length);
  const x = (index) => PAD.left + index * step + step / 2;
  const y = (value) => PAD.top + plotHeight - (max === 0 ? 0 : (value / max) * plotHeight);
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${title}: ${summary(series, format)}` });
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    svg.append(s('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value) }), s('text', { x: PAD.left - 6, y: y(value) + 3, 'text-anchor': 'end' }, format(value)));
  }
  const ticks = [0, Math.floor(starts.length / 2), starts.length - 1];
  ticks.forEach((index, position) => {
    if (starts[index] === undefined) return;
    const anchor = ['start', 'middle', 'end'][position];
    const left = position === 0 ? PAD.left : position === 2 ? WIDTH - PAD.right : x(index);
    svg.append(s('text', { x: left, y: HEIGHT - 5, 'text-anchor': anchor }, timeLabel(starts[index])));
  });
  const bars = series.filter((one) => one.kind === 'bar');
  series.forEach((one, seriesIndex) => {
    const className = `s${seriesIndex + 1}`;
    if (one.kind === 'bar') {
      const barIndex = bars.indexOf(one);
      const barWidth = Math.max(1, (step * 0.8) / bars.length);
      one.values.forEach((value, index) => {
        if (!value) return;
        const left = PAD.left + index * step + step * 0.1 + barIndex * barWidth;
        svg.append(s('rect', { class: className, x: left, y: y(value), width: barWidth, height: Math.max(0.5, PAD.top + plotHeight - y(value)) }, s('title', {}, `${timeLabel(starts[index])}: ${format(value)} ${one.label}`)));
      });
      return;
    }
    let path = '';
    let pen = false;
    one.values.forEach((value, index) => {
      if (value === null || value === undefined) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
      pen = true;
      svg.append(s('circle', { class: className, cx: x(index), cy: y(value), r: 2 }, s('title', {}, `${timeLabel(starts[index])}: ${format(value)} ${one.label}`)));
    });
    if (path) svg.append(s('path', { class: `line ${className}`, d: path }));
  });
  return h(
    'figure',
    { class: 'panel chart' },
    h('h2', {}, title),
    svg,
    h('figcaption', { class: 'legend' }, series.map((one, index) => h('span', {}, h('i', { class: `s${index + 1}` }), one.label))),
  );
}

function summary(series, format) {
  return series.map((one) => `${one.label} total ${format(one.values.reduce((sum, value) => sum + (value ?? 0), 0))}`).join(', ');
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) if (value <= factor * power) return factor * power;
  return 10 * power;
}
