/** Socket-level error codes meaning the other side could not be reached or went away. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Whether `error` is a socket error of a server we could not reach (the database, an
 * identity provider). Duck-typed: such errors may come from another realm than this
 * module's Error (Node's own modules under a test runner's VM).
 */
export function isSocketUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_SOCKET_CODES.has(code);
}
