import { chartsOf, escapeHtml, htmlPathFor, renderHtmlReport } from './html-report';
import { syntheticReport } from './testing/synthetic-report';

describe('the run page', () => {
  it('sits beside the JSON report under the same name', () => {
    expect(htmlPathFor('/runs/flash-sale-2026-11-30T17-00-00-000Z.json')).toBe(
      '/runs/flash-sale-2026-11-30T17-00-00-000Z.html',
    );
  });

  it('escapes the characters that HTML gives a meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('keeps a report string that looks like markup from ending a script or adding one', () => {
    const html = renderHtmlReport(
      syntheticReport({ scenario: '</script><script>alert(1)</script>' }),
    );
    // uPlot, the page's own script and the JSON data block: no other script.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('alert(1)</script>');
  });

  it('needs nothing from the network: no external script, style or link', () => {
    const html = renderHtmlReport(syntheticReport());
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href="(?!data:)/);
    expect(html).toContain('uPlot');
  });

  it('leaves a gap in the latency chart for a second in which no request finished', () => {
    const report = syntheticReport();
    const quiet = report.perSecond[3];
    if (quiet) quiet.latency = { count: 0, p50: 0, p95: 0, p99: 0, maxMs: 0 };
    const latency = chartsOf(report).find((c) => c.id === 'latency');
    expect(latency?.series.map((s) => s.values[3])).toEqual([null, null]);
    expect(latency?.series.map((s) => s.values[2])).toEqual([15, 60]);
  });

  it('draws one RSS line per service, and a heap line when it was sampled', () => {
    const memory = chartsOf(syntheticReport()).find((c) => c.id === 'memory');
    expect(memory?.series.map((s) => s.label)).toEqual([
      'gateway RSS',
      'gateway heap',
      'payments RSS',
      'payments heap',
    ]);
  });

  it('has no memory chart when no service was sampled', () => {
    expect(chartsOf(syntheticReport({ memory: [] })).map((c) => c.id)).toEqual([
      'rate',
      'latency',
      'errors',
    ]);
  });
});
