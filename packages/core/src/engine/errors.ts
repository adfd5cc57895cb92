import type { ErrorKind } from '../metrics/model.js';

/** Thrown into a request when our per-request timeout fires. */
export class RequestTimeoutError extends Error {
  readonly code = 'LOADCTL_REQUEST_TIMEOUT';
  constructor() {
    super('request timed out');
  }
}

/** Thrown into in-flight requests when the run is interrupted. */
export class RunStoppedError extends Error {
  readonly code = 'LOADCTL_RUN_STOPPED';
  constructor() {
    super('run stopped');
  }
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** Classify a transport error from undici, the lean client (http1/errors.ts) or the socket layer. */
export function classifyError(err: unknown): ErrorKind {
  const e = err as { code?: string; name?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? '';
  switch (code) {
    case 'LOADCTL_HTTP_PROTOCOL':
      return 'protocol';
    case 'LOADCTL_SOCKET_CLOSED':
      return 'reset';
    case 'LOADCTL_CONNECT_TIMEOUT':
      return 'connect_timeout';
    case 'LOADCTL_REQUEST_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect_timeout';
    case 'ECONNREFUSED':
      return 'connect_refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'LOADCTL_RUN_STOPPED':
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return 'aborted';
    default:
      break;
  }
  if (TLS_CODES.test(code)) return 'tls';
  // undici 7's HTTPParserError may carry no code (its llhttp error table is keyed the other way).
  if (e?.name === 'HTTPParserError') return 'protocol';
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'protocol';
  if (e?.cause && e.cause !== err) return classifyError(e.cause);
  return 'other';
}
