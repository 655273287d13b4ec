// A run's page: one self-contained HTML file beside the run's JSON. uPlot's script and style
// are inlined from node_modules and a content security policy forbids every fetch, so the
// page opens offline from file://. Tables are rendered here, charts in the browser from a
// JSON block; every string from the report is escaped on the way in.
import { readFileSync } from 'node:fs';
import type { RunReport } from '../load/report';
import { PAGE_SCRIPT } from './page-script';

export interface ChartSeries {
  label: string;
  color: string;
  dashed?: boolean;
  values: (number | null)[];
}

export interface Chart {
  id: string;
  title: string;
  unit: string;
  x: number[];
  series: ChartSeries[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Raw text inside a <script> or <style> element ends at the first "</script" or "</style",
// whatever the quoting: its slash is escaped, which JavaScript and CSS read back as a slash.
function rawText(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function jsonInScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// A file's page beside it: the same name, .html for .json.
export function htmlPathFor(jsonFile: string): string {
  return jsonFile.replace(/\.json$/, '') + '.html';
}

export function chartsOf(report: RunReport): Chart[] {
  const seconds = report.perSecond;
  const x = seconds.map((s) => s.second);
  // A second without a finished request has no latency: a gap, not a zero.
  const latency = (pick: (l: RunReport['perSecond'][number]['latency']) => number) =>
    seconds.map((s) => (s.latency.count ? pick(s.latency) : null));
  const charts: Chart[] = [
    {
      id: 'rate',
      title: 'Iterations per second: sent and completed, against the requested rate',
      unit: 'per second',
      x,
      series: [
        { label: 'sent', color: PALETTE[0] as string, values: seconds.map((s) => s.sent) },
        {
          label: 'completed',
          color: PALETTE[2] as string,
          values: seconds.map((s) => s.completed),
        },
        {
          label: 'requested',
          color: '#444444',
          dashed: true,
          values: seconds.map((s) => s.scheduled),
        },
      ],
    },
    {
      id: 'latency',
      title: 'Request latency per second (from the scheduled start)',
      unit: 'ms',
      x,
      series: [
        { label: 'p50', color: PALETTE[0] as string, values: latency((l) => l.p50) },
        { label: 'p99', color: PALETTE[1] as string, values: latency((l) => l.p99) },
      ],
    },
    {
      id: 'errors',
      title: 'Errors and dropped iterations per second',
      unit: 'per second',
      x,
      series: [
        {
          label: 'request errors',
          color: PALETTE[1] as string,
          values: seconds.map((s) => s.errors),
        },
        {
          label: 'dropped iterations',
          color: PALETTE[4] as string,
          values: seconds.map((s) => s.dropped),
        },
      ],
    },
  ];
  const memory = (report.memory ?? []).filter((m) => m.points.length > 0);
  if (memory.length) {
    // One x axis for every service: the union of their sampling times, gaps where one has none.
    const times = [...new Set(memory.flatMap((m) => m.points.map((p) => p.tS)))].sort(
      (a, b) => a - b,
    );
    const series: ChartSeries[] = [];
    memory.forEach((m, i) => {
      const color = PALETTE[i % PALETTE.length] as string;
      const at = new Map(m.points.map((p) => [p.tS, p]));
      series.push({
        label: `${m.service} RSS`,
        color,
        values: times.map((t) => at.get(t)?.rssMiB ?? null),
      });
      if (m.points.some((p) => p.heapMiB !== undefined)) {
        series.push({
          label: `${m.service} heap`,
          color,
          dashed: true,
          values: times.map((t) => at.get(t)?.heapMiB ?? null),
        });
      }
    });
    charts.push({ id: 'memory', title: "Each service's memory", unit: 'MiB', x: times, series });
  }
  return charts;
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

// A row is its cells, already rendered, and an optional class for the <tr>.
type Row = string[] | { cls: string; cells: string[] };

function table(headers: string[], rows: Row[], cls?: string): string {
  const tr = (row: Row) =>
    Array.isArray(row)
      ? `<tr>${row.join('')}</tr>`
      : `<tr class="${escapeHtml(row.cls)}">${row.cells.join('')}</tr>`;
  return [
    `<table${cls ? ` class="${escapeHtml(cls)}"` : ''}>`,
    `<thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map(tr),
    '</tbody></table>',
  ].join('\n');
}

const td = (value: unknown, cls?: string) =>
  `<td${cls ? ` class="${escapeHtml(cls)}"` : ''}>${escapeHtml(value)}</td>`;
const num = (value: unknown) => td(value, 'num');

function countsTable(title: string, record: Record<string, number | null>): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return '';
  return `<h3>${escapeHtml(title)}</h3>\n${table(
    ['name', 'count'],
    entries.map(([k, v]) => [td(k), num(v ?? 'not counted')]),
  )}`;
}

function loadSummary(r: RunReport): string {
  if (r.load.model === 'closed') {
    return `closed model: ${r.load.vus} users for ${r.load.durationS} s`;
  }
  return `open model: ${r.load.stages.length} stage(s), at most ${r.load.maxInFlight} in flight`;
}

function sections(r: RunReport): string[] {
  const t = r.totals;
  const failed = r.thresholds.filter((x) => !x.passed).length;
  const faults = r.faults ?? [];
  return [
    `<section id="summary" class="${r.passed ? 'passed' : 'failed'}">`,
    `<h1>Load run: ${escapeHtml(r.scenario)} <small>(${escapeHtml(r.target)})</small></h1>`,
    `<p>${escapeHtml(r.description)}</p>`,
    `<p>Started ${escapeHtml(r.startedAt)}, ${escapeHtml(fixed(r.durationS))} s; ${escapeHtml(loadSummary(r))}.</p>`,
    `<p class="verdict">${escapeHtml(r.passed ? 'Every threshold held.' : `${failed} threshold(s) failed.`)}</p>`,
    '</section>',

    '<section id="charts">',
    '<h2>Over time</h2>',
    ...chartsOf(r).map(
      (c) =>
        `<figure><figcaption>${escapeHtml(c.title)}</figcaption><div class="chart" id="chart-${escapeHtml(c.id)}"></div></figure>`,
    ),
    faults.length
      ? `<p class="faults-note">Shaded: fault windows (${faults.map((f) => escapeHtml(`${f.name} at ${f.atS} s for ${f.forS} s`)).join('; ')}).</p>`
      : '',
    '</section>',

    '<section id="thresholds">',
    '<h2>Thresholds</h2>',
    table(
      ['result', 'metric', 'condition', 'actual'],
      r.thresholds.map((x) => ({
        cls: x.passed ? 'threshold-pass' : 'threshold-fail',
        cells: [
          td(x.passed ? 'pass' : 'FAIL', x.passed ? 'pass' : 'fail'),
          td(x.metric),
          td(x.condition),
          num(x.actual === null ? (x.reason ?? 'none') : +x.actual.toFixed(4)),
        ],
      })),
      'thresholds',
    ),
    '</section>',

    '<section id="totals">',
    '<h2>Totals</h2>',
    table(
      ['scheduled', 'sent', 'dropped', 'completed', 'cut off', 'requests', 'errors', 'error rate'],
      [
        [
          num(t.scheduled),
          num(t.sent),
          num(t.dropped),
          num(t.completed),
          num(t.cutOff),
          num(t.requests),
          num(t.errors),
          num(`${fixed(t.errorRate * 100, 2)}%`),
        ],
      ],
    ),
    '<h3>Requests (latency in ms from the scheduled start)</h3>',
    table(
      ['request', 'count', 'rate/s', 'p50', 'p95', 'p99', 'max', 'errors'],
      [
        ...r.requests.map((q) => [
          td(q.name),
          num(q.latency.count),
          num(fixed(q.ratePerS)),
          num(fixed(q.latency.p50)),
          num(fixed(q.latency.p95)),
          num(fixed(q.latency.p99)),
          num(fixed(q.latency.maxMs)),
          num(
            q.errors +
              (q.errors
                ? ` (${Object.entries(q.errorsByKind)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ')})`
                : ''),
          ),
        ]),
        [
          td('all'),
          num(r.latency.count),
          num(fixed(r.durationS ? r.latency.count / r.durationS : 0)),
          num(fixed(r.latency.p50)),
          num(fixed(r.latency.p95)),
          num(fixed(r.latency.p99)),
          num(fixed(r.latency.maxMs)),
          num(t.errors),
        ],
      ],
    ),
    `<p>Send lag (iteration start against its schedule): p50 ${escapeHtml(fixed(r.sendLag.p50))} ms, p99 ${escapeHtml(fixed(r.sendLag.p99))} ms, max ${escapeHtml(fixed(r.sendLag.maxMs))} ms.</p>`,
    r.load.model === 'open' && r.stages.length
      ? `<h3>Stages</h3>\n${table(
          [
            'stage',
            'rate asked',
            'duration s',
            'requested/s',
            'achieved/s',
            'completed/s',
            'dropped',
            'p50 ms',
            'p99 ms',
          ],
          r.stages.map((s) => [
            num(s.index + 1),
            td(
              s.from === s.to
                ? `${+s.from.toFixed(2)}`
                : `${+s.from.toFixed(2)} → ${+s.to.toFixed(2)}`,
            ),
            num(fixed(s.durationS)),
            num(fixed(s.requestedRate)),
            num(fixed(s.achievedRate)),
            num(fixed(s.completedRate)),
            num(s.dropped),
            num(fixed(s.latency.p50)),
            num(fixed(s.latency.p99)),
          ]),
        )}`
      : '',
    countsTable('Outcomes', r.outcomes),
    countsTable('Iterations ended by an error', r.iterationErrors),
    '</section>',

    '<section id="verifiers">',
    '<h2>Verifiers</h2>',
    r.verifiers.ran
      ? table(
          ['invariant', 'violations'],
          Object.entries(r.verifiers.violations)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [td(k), num(v ?? 'not checked')]),
          'verifiers',
        )
      : '<p>Not run.</p>',
    r.verifiers.details === undefined
      ? ''
      : `<pre class="details">${escapeHtml(JSON.stringify(r.verifiers.details, null, 2))}</pre>`,
    '</section>',
  ];
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 small { font-weight: normal; color: #666; }
.verdict { font-weight: bold; }
#summary.passed .verdict { color: #1a7f37; }
#summary.failed .verdict { color: #c62828; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-weight: bold; margin-bottom: 0.3rem; }
.chart { width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pass { color: #1a7f37; font-weight: bold; }
td.fail { color: #c62828; font-weight: bold; }
tr.threshold-fail { background: #fdecea; }
.fault-layer { position: absolute; inset: 0; pointer-events: none; }
.fault-band { position: absolute; top: 0; bottom: 0; background: rgba(214, 39, 40, 0.13); border-left: 1px dashed #d62728; border-right: 1px dashed #d62728; }
.fault-band span { position: absolute; top: 2px; left: 4px; font-size: 11px; color: #b71c1c; }
pre.details { background: #f6f8fa; padding: 0.6rem; overflow: auto; }
`;

let uplotAssets: { script: string; style: string } | undefined;
function uplot(): { script: string; style: string } {
  uplotAssets ??= {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
}

export function renderHtmlReport(report: RunReport): string {
  const charts = chartsOf(report);
  const faults = report.faults ?? [];
  const lastSecond = Math.max(
    report.durationS,
    report.perSecond.length,
    ...faults.map((f) => f.atS + f.forS),
    ...charts.flatMap((c) => c.x.slice(-1)),
  );
  const data = { charts, faults, xMaxS: Math.ceil(lastSecond) };
  const { script, style } = uplot();
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing leaves the file: no fetch, no image, no font from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(`load run: ${report.scenario} (${report.target}) ${report.startedAt}`)}</title>`,
    `<style>${rawText(style, 'style')}</style>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...sections(report),
    `<script type="application/json" id="report-data">${jsonInScript(data)}</script>`,
    `<script>${rawText(script, 'script')}</script>`,
    `<script>${rawText(PAGE_SCRIPT, 'script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
