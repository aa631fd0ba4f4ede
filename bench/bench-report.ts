/** One line of the results table. */
export interface BenchRow {
  section: string;
  figure: string;
  /** The direct path (or the reference route), formatted. */
  baseline: string;
  /** The path through llmux, formatted. */
  measured: string;
  /** Ratio or added value, formatted. */
  result: string;
  target: string;
  status: 'PASS' | 'MISS' | 'info' | 'n/a';
  /** The hot path's target (2–6, bench/README.md) this row measures: listed again in the report's summary at the top. */
  point?: HotPathPoint;
}

export type HotPathPoint = 2 | 3 | 4 | 5 | 6;

/** A summary table of its own shape, printed under its section's rows (e.g. the ceiling table). */
export interface BenchTable {
  section: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  /** Lines printed under the table. */
  lines?: readonly string[];
}

export interface BenchReport {
  title: string;
  /** `key: value` lines describing the run (date, Node, CPU, commit, settings). */
  facts: readonly (readonly [string, string])[];
  rows: readonly BenchRow[];
  tables?: readonly BenchTable[];
  notes: readonly string[];
}

const COLUMNS = ['Figure', 'Baseline', 'Through llmux', 'Result', 'Target', 'Status'] as const;

const SUMMARY_TITLE = 'Hot path: where each target stands (the rows below, gathered)';
const SUMMARY_COLUMNS = ['Point', 'Figure', 'Result', 'Target', 'Status'] as const;
/** What of the targets this report does not measure. */
const SUMMARY_LINE = "Point 3's CPU per streamed event (≤ 12 µs) is measured by `bench/measure-stream-cost.ts`, not here; point 1 is this report itself.";
const POINT_NAMES: Record<HotPathPoint, string> = {
  2: '2 non-streamed: req/s, CPU, p50 against the bare proxy',
  3: '3 streamed: first byte against the bare proxy',
  4: '4 memory: open streams, RSS after close',
  5: '5 every protocol pays the same',
  6: '6 x-llmux-overhead-ms is honest',
};

/** The rows that measure a hot-path target, in the targets' order (a row keeps its place within its target). */
function summaryCells(report: BenchReport): string[][] {
  return report.rows
    .flatMap((row, index) => (row.point === undefined ? [] : [{ row, point: row.point, index }]))
    .sort((a, b) => a.point - b.point || a.index - b.index)
    .map(({ row, point }) => [POINT_NAMES[point], `${row.section.split(/[:(]/)[0]?.trim() ?? row.section} · ${row.figure}`, row.result, row.target, row.status]);
}

function cells(row: BenchRow): string[] {
  return [row.figure, row.baseline, row.measured, row.result, row.target, row.status];
}

/** A fixed-width table for the terminal, one block per section. */
export function renderConsoleReport(report: BenchReport): string {
  const widths = COLUMNS.map((column, index) => Math.max(column.length, ...report.rows.map((row) => (cells(row)[index] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values.map((value, index) => (index === 0 ? value.padEnd(widths[index] ?? 0) : value.padStart(widths[index] ?? 0))).join('  ');
  const out: string[] = [report.title, ''];
  for (const [key, value] of report.facts) out.push(`${key}: ${value}`);
  const summary = summaryCells(report);
  if (summary.length > 0) {
    const summaryWidths = SUMMARY_COLUMNS.map((column, index) => Math.max(column.length, ...summary.map((row) => (row[index] ?? '').length)));
    const summaryLine = (values: readonly string[]): string => values.map((value, index) => value.padEnd(summaryWidths[index] ?? 0)).join('  ');
    out.push('', `[${SUMMARY_TITLE}]`, summaryLine(SUMMARY_COLUMNS), ...summary.map(summaryLine), SUMMARY_LINE);
  }
  out.push('', line(COLUMNS), widths.map((width) => '-'.repeat(width)).join('  '));
  let section = '';
  for (const row of report.rows) {
    if (row.section !== section) {
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(cells(row)));
  }
  for (const table of report.tables ?? []) {
    const tableWidths = table.columns.map((column, index) => Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)));
    const tableLine = (values: readonly string[]): string => values.map((value, index) => value.padEnd(tableWidths[index] ?? 0)).join('  ');
    out.push('', `[${table.section}]`, tableLine(table.columns), ...table.rows.map(tableLine), ...(table.lines ?? []));
  }
  if (report.notes.length > 0) out.push('', ...report.notes.map((note) => `* ${note}`));
  return out.join('\n') + '\n';
}

const escapeCell = (value: string): string => value.replaceAll('|', '\\|');

/** The same report as Markdown, one table per section. */
export function renderMarkdownReport(report: BenchReport): string {
  const out: string[] = [`# ${report.title}`, ''];
  for (const [key, value] of report.facts) out.push(`- **${key}**: ${escapeCell(value)}`);
  const summary = summaryCells(report);
  if (summary.length > 0) {
    out.push('', `## ${SUMMARY_TITLE}`, '', `| ${SUMMARY_COLUMNS.join(' | ')} |`, `|${SUMMARY_COLUMNS.map(() => '---').join('|')}|`);
    for (const row of summary) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
    out.push('', SUMMARY_LINE);
  }
  let section = '';
  const tablesOf = (ended: string): void => {
    for (const table of (report.tables ?? []).filter((candidate) => candidate.section === ended)) {
      out.push('', `| ${table.columns.map(escapeCell).join(' | ')} |`, `|${table.columns.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
      for (const row of table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
      if (table.lines !== undefined && table.lines.length > 0) out.push('', ...table.lines);
    }
  };
  for (const row of report.rows) {
    if (row.section !== section) {
      if (section !== '') tablesOf(section);
      section = row.section;
      out.push('', `## ${section}`, '', `| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
    }
    out.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
  }
  if (section !== '') tablesOf(section);
  if (report.notes.length > 0) out.push('', '## Notes', '', ...report.notes.map((note) => `- ${note}`));
  return out.join('\n') + '\n';
}
