/** An OTLP/JSON attribute value. */
export type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

/** One span as OTLP/JSON carries it (ids in hex, times in Unix nanoseconds as decimal strings). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 2 = SERVER, 3 = CLIENT. */
  kind: 2 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  /** 0 = UNSET, 2 = ERROR. */
  status: { code: 0 | 2; message?: string };
}
