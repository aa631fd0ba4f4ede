const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A client's own `x-request-id`, kept when it is a plain token of at most 128 characters (it is
 * logged and echoed); undefined otherwise, and a fresh id is made.
 */
export function clientRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : undefined;
}
