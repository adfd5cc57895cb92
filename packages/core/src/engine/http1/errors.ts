/**
 * Errors of the lean HTTP/1.1 client. Their codes classify (engine/errors.ts) into
 * the same error kinds as undici's errors for the same failure.
 */

/** The response does not follow HTTP/1.1 (undici: HTTPParserError). Kind `protocol`. */
export class HttpProtocolError extends Error {
  readonly code = 'LOADCTL_HTTP_PROTOCOL';
  constructor(reason: string) {
    super(`Response does not match the HTTP/1.1 protocol (${reason})`);
    this.name = 'HttpProtocolError';
  }
}

/** The connection closed (or was refused an answer) under a request (undici: SocketError). Kind `reset`. */
export class SocketClosedError extends Error {
  readonly code = 'LOADCTL_SOCKET_CLOSED';
  constructor(message = 'other side closed') {
    super(message);
    this.name = 'SocketClosedError';
  }
}

/** Connecting took longer than the connect timeout (undici: ConnectTimeoutError). Kind `connect_timeout`. */
export class ConnectTimeoutError extends Error {
  readonly code = 'LOADCTL_CONNECT_TIMEOUT';
  constructor(ms: number) {
    super(`connect timeout after ${ms} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/** The response head is larger than the header size limit (undici: HeadersOverflowError). Kind `other`. */
export class HeadersOverflowError extends Error {
  readonly code = 'LOADCTL_HEADERS_OVERFLOW';
  constructor(limit: number) {
    super(`response headers larger than ${limit} bytes`);
    this.name = 'HeadersOverflowError';
  }
}

/** The client was destroyed with the request queued or in flight (undici: ClientDestroyedError). Kind `other`. */
export class ClientDestroyedError extends Error {
  readonly code = 'LOADCTL_CLIENT_DESTROYED';
  constructor() {
    super('the client is destroyed');
    this.name = 'ClientDestroyedError';
  }
}

/** A request the lean client cannot encode (undici: InvalidArgumentError). Kind `other`. */
export class InvalidRequestError extends Error {
  readonly code = 'LOADCTL_INVALID_REQUEST';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** The request was aborted through its abort callback without a reason (undici: RequestAbortedError). Kind `aborted`. */
export class RequestAbortedError extends Error {
  readonly code = 'ABORT_ERR';
  constructor() {
    super('Request aborted');
    this.name = 'RequestAbortedError';
  }
}

/** The client was closed: it takes no new requests (undici: ClientClosedError). Kind `other`. */
export class ClientClosedError extends Error {
  readonly code = 'LOADCTL_CLIENT_CLOSED';
  constructor() {
    super('the client is closed');
    this.name = 'ClientClosedError';
  }
}
