import {
  parseTraceparent,
  propagationHeaders,
  RequestContext,
  requestContextFromHeaders,
  requestContextOf,
} from './request-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseTraceparent', () => {
  it('reads the trace id, parent id and flags of a version 00 header', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`)).toEqual({
      traceId: TRACE_ID,
      parentId: '00f067aa0ba902b7',
      traceFlags: '01',
    });
  });

  it('accepts extra fields from a later version', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-00f067aa0ba902b7-00-future`)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['extra fields on version 00', `00-${TRACE_ID}-00f067aa0ba902b7-01-x`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['nothing', undefined],
  ])('ignores %s', (_label, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });
});

describe('requestContextFromHeaders', () => {
  it("prefers x-request-id and still continues the caller's trace", () => {
    expect(
      requestContextFromHeaders({
        'x-request-id': 'req-1',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      }),
    ).toEqual({ requestId: 'req-1', traceId: TRACE_ID, traceFlags: '01' });
  });

  it('takes the first of repeated headers, as a message broker may deliver them', () => {
    expect(requestContextFromHeaders({ 'x-request-id': ['req-a', 'req-b'] }).requestId).toBe(
      'req-a',
    );
  });

  it('starts a new trace when the caller has none', () => {
    const context = requestContextFromHeaders({});
    expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(context.traceFlags).toBe('00');
  });
});

describe('requestContextOf', () => {
  it('resolves a request once, so every reader sees the same generated id', () => {
    const request = { headers: {} };
    expect(requestContextOf(request)).toBe(requestContextOf(request));
    expect(requestContextOf({ headers: {} }).requestId).not.toBe(
      requestContextOf(request).requestId,
    );
  });
});

describe('propagationHeaders', () => {
  it('is empty outside a request', () => {
    expect(propagationHeaders()).toEqual({});
    expect(RequestContext.requestId()).toBeUndefined();
  });

  it('carries the request id and a new span of the same trace across async work', async () => {
    const context = { requestId: 'req-9', traceId: TRACE_ID, traceFlags: '01' };
    const [first, second] = await RequestContext.run(context, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [propagationHeaders(), propagationHeaders()];
    });
    expect(first?.['x-request-id']).toBe('req-9');
    expect(first?.['traceparent']).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(first?.['traceparent']).not.toBe(second?.['traceparent']);
  });

  it('draws every digit of a span id at random (no fixed UUID version or variant digit)', () => {
    const context = { requestId: 'req-10', traceId: TRACE_ID, traceFlags: '01' };
    const spanIds = RequestContext.run(context, () =>
      Array.from({ length: 200 }, () => propagationHeaders()['traceparent']?.split('-')[2] ?? ''),
    );
    expect(new Set(spanIds).size).toBe(200);
    // Over 200 draws each position takes many values; a fixed digit would take one.
    for (let position = 0; position < 16; position++) {
      expect(new Set(spanIds.map((id) => id[position])).size).toBeGreaterThan(4);
    }
  });
});
