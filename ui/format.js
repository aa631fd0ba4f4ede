export const number = (value) => (value === undefined || value === null ? '–' : Intl.NumberFormat('en', { maximumFractionDigits: 1, notation: Math.abs(value) >= 100000 ? 'compact' : 'standard' }).format(value));
export const usd = (value) => (value === undefined || value === null ? '–' : value === 0 ? '$0' : value < 0.01 ? `$${Number(value.toPrecision(2))}` : `$${value.toFixed(2)}`);
export const ms = (value) => (value === undefined || value === null ? '–' : value >= 1000 ? `${Number((value / 1000).toFixed(value >= 10000 ? 0 : 1))} s` : `${Math.round(value)} ms`);
export const percent = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '–');
export const time = (epochMs) => new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const dateTime = (epochMs) => new Date(epochMs).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
export const perMillion = (price) => (price === undefined ? '–' : `$${price.input} / $${price.output}`);
export function tokens(usage) {
  if (!usage) return '–';
  return `${number(usage.input.total)} in · ${number(usage.output.total)} out`;
}
