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
}

export interface BenchReport {
  title: string;
  /** `key: value` lines describing the run (date, Node, CPU, commit, settings). */
  facts: readonly (readonly [string, string])[];
  rows: readonly BenchRow[];
  notes: readonly string[];
}

const COLUMNS = ['Figure', 'Baseline', 'Through llmux', 'Result', 'Target', 'Status'] as const;

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
  out.push('', line(COLUMNS), widths.map((width) => '-'.repeat(width)).join('  '));
  let section = '';
  for (const row of report.rows) {
    if (row.section !== section) {
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(cells(row)));
  }
  if (report.notes.length > 0) out.push('', ...report.notes.map((note) => `* ${note}`));
  return out.join('\n') + '\n';
}

const escapeCell = (value: string): string => value.replaceAll('|', '\\|');

/** The same report as Markdown, one table per section. */
export function renderMarkdownReport(report: BenchReport): string {
  const out: string[] = [`# ${report.title}`, ''];
  for (const [key, value] of report.facts) out.push(`- **${key}**: ${escapeCell(value)}`);
  let section = '';
  for (const row of report.rows) {
    if (row.section !== section) {
      section = row.section;
      out.push('', `## ${section}`, '', `| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
    }
    out.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
  }
  if (report.notes.length > 0) out.push('', '## Notes', '', ...report.notes.map((note) => `- ${note}`));
  return out.join('\n') + '\n';
}
