import type { BenchRow } from './bench-report.ts';

/** How figures are printed, and how a figure is judged against its target. */

export function formatMicros(micros: number, signed = false): string {
  if (!Number.isFinite(micros)) return '—';
  const sign = signed && micros >= 0 ? '+' : '';
  if (Math.abs(micros) >= 10_000) return `${sign}${(micros / 1000).toFixed(1)} ms`;
  return `${sign}${Math.round(micros)} µs`;
}

export function formatRate(perSecond: number, unit: string): string {
  return Number.isFinite(perSecond) ? `${Math.round(perSecond).toLocaleString('en-US')} ${unit}` : '—';
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function atLeast(value: number, minimum: number): BenchRow['status'] {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= minimum ? 'PASS' : 'MISS';
}

export function atMost(value: number, maximum: number): BenchRow['status'] {
  if (!Number.isFinite(value)) return 'n/a';
  return value <= maximum ? 'PASS' : 'MISS';
}

/** A row standing for a whole part of a section that could not run. */
export function unavailableRow(section: string, figure: string, reason: string): BenchRow {
  return { section, figure, baseline: '—', measured: `not available: ${reason}`, result: '—', target: '—', status: 'n/a' };
}
