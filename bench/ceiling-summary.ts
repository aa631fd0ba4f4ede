import type { BenchRow, BenchTable } from './bench-report.ts';
import { formatMicros } from './format-figure.ts';
import type { PathLabel } from './ceiling-round.ts';
import type { Measured } from './closed-loop-cpu.ts';
import { interquartileRange, median } from './percentile.ts';

/** The ceiling section's summaries: the header against the measured added p50, and issue 11's table. */

/**
 * `x-llmux-overhead-ms` against the added p50 it should explain. The bare proxy sends the same
 * header, computed the same way: what its added p50 has beyond it is what no clock inside a proxy
 * process sees (the extra network hop in the kernel, waking the process, writing the answer),
 * which llmux pays too. Whatever llmux's added p50 has beyond its header plus that part is llmux
 * time the header misses: work after the hand-off (the access log, the outcome) that delays the
 * next request's read at one connection, and garbage collection between requests.
 */
export function overheadRows(section: string, bareAdded: number, bareReported: number, llmuxAdded: number, llmuxReported: number): BenchRow[] {
  const known = Number.isFinite(bareReported) && Number.isFinite(llmuxReported);
  const unseen = bareAdded - bareReported;
  const gap = llmuxAdded - llmuxReported - unseen;
  return [
    {
      section,
      figure: 'x-llmux-overhead-ms (median at 1 connection): bare proxy (same method) / llmux',
      baseline: Number.isFinite(bareReported) ? formatMicros(bareReported) : 'header absent',
      measured: Number.isFinite(llmuxReported) ? formatMicros(llmuxReported) : 'header absent',
      result: Number.isFinite(llmuxReported) && llmuxAdded > 0 ? `${Math.round((llmuxReported / llmuxAdded) * 100)} % of llmux's added p50` : '—',
      target: '—',
      status: 'info',
    },
    {
      section,
      figure: "added p50 no in-process clock sees (added p50 − header), bare proxy: the hop's own cost",
      baseline: '—',
      measured: known ? formatMicros(unseen) : 'n/a',
      result: known ? `${formatMicros(bareReported)} header + ${formatMicros(unseen)} = bare's ${formatMicros(bareAdded, true)}` : '—',
      target: '—',
      status: 'info',
    },
    {
      section,
      figure: "llmux's header + the hop's own cost against llmux's measured added p50",
      baseline: formatMicros(llmuxAdded, true),
      measured: known ? formatMicros(llmuxReported + unseen, true) : 'n/a',
      result: known ? `${formatMicros(gap, true)} not in the header (${Math.round((gap / llmuxAdded) * 100)} %)` : '—',
      target: '—',
      status: 'info',
      point: 6,
    },
  ];
}

interface IssueTablePaths {
  direct: PathLabel;
  viaBare: PathLabel;
  viaFastify: PathLabel | undefined;
  viaOpenai: PathLabel;
  viaOllama: PathLabel;
  viaAnthropic: PathLabel;
  viaNginx: PathLabel | undefined;
}

interface IssueTableFigures {
  rps: (a: PathLabel, b: PathLabel, pick: (entry: Measured) => number) => number[];
  cpu: (path: PathLabel) => number;
  cpuPerRound: (path: PathLabel) => number[];
  added: (path: PathLabel) => number;
  addedPerRound: (path: PathLabel) => number[];
}

/** The ceiling as issue 11 tabulates it: per path, req/s ÷ direct, CPU µs per request, added p50 at 1 connection. */
export function issueTable(section: string, rounds: string, connections: number, paths: IssueTablePaths, figures: IssueTableFigures): BenchTable {
  const { direct, viaBare, viaFastify, viaOpenai, viaOllama, viaAnthropic, viaNginx } = paths;
  const requestsPerSecond = (entry: Measured): number => entry.result.requestsPerSecond;
  const row = (label: string, path: PathLabel): string[] => {
    const ratios = figures.rps(path, direct, requestsPerSecond);
    const range = (values: number[], digits: number, unit: string): string => {
      const { low, high } = interquartileRange(values);
      return Number.isFinite(low) ? ` (IQR ${low.toFixed(digits)}–${high.toFixed(digits)}${unit})` : '';
    };
    return [
      label,
      `${median(ratios).toFixed(2)}${range(ratios, 2, '')}`,
      `${figures.cpu(path).toFixed(0)}${range(figures.cpuPerRound(path), 0, '')}`,
      `${formatMicros(figures.added(path), true)}${range(figures.addedPerRound(path), 0, ' µs')}`,
    ];
  };
  const rows = [
    ...(viaNginx === undefined ? [] : [row('nginx `proxy_pass` (keep-alive, no translation)', viaNginx)]),
    row('bare `node:http` + undici `Pool` proxy, JSON parsed and re-serialised once each way', viaBare),
    ...(viaFastify === undefined ? [] : [row('the same inside Fastify', viaFastify)]),
    row('llmux `/v1/chat/completions` → cerebras', viaOpenai),
    row('llmux `/api/chat` (stream:false) → cerebras', viaOllama),
    row('llmux `/v1/messages` → cerebras', viaAnthropic),
  ];
  const toBare = (path: PathLabel): string => {
    const rps = median(figures.rps(path, viaBare, requestsPerSecond));
    const cpu = median(figures.rps(path, viaBare, (entry) => entry.cpuPerRequestUs));
    return `${rps.toFixed(2)}× the bare proxy's requests per second at ${cpu.toFixed(2)}× its CPU per request, ${formatMicros(figures.added(path) - figures.added(viaBare), true)} p50`;
  };
  return {
    section,
    columns: ['path', 'req/s ÷ direct', 'CPU µs per request', 'added p50 at 1 connection'],
    rows,
    lines: [
      `Paired in the same ${rounds} (medians; IQR over rounds; CPU from /proc/<pid>/stat; ${connections} connections for req/s and CPU, 1 for p50), ` +
        `llmux \`/v1/chat/completions\` serves **${toBare(viaOpenai)}**; \`/api/chat\` ${toBare(viaOllama)}.` +
        (viaNginx === undefined ? ' nginx: not installed.' : ''),
    ],
  };
}
