import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LOG_LEVELS, LogLevelName } from '../logging/log-levels';

export { LOG_LEVELS, type LogLevelName };

/** The checkpoint signing key generated in embedded mode, under DATA_DIR/keys/. */
export const DEFAULT_SIGNING_KEY_FILE = 'audit-signing-key.pem';

const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(process.cwd(), path));

/** Settings for verifying OpenID Connect bearer tokens. Present only when all three are set. */
export interface OidcConfig {
  jwksUrl: string;
  issuer: string;
  audience: string;
  algorithms: string[];
}

/** Limits applied to every GraphQL document before it executes. */
export interface GraphqlLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxRootFields: number;
  /** Estimated cost (fields, multiplied by list sizes) above which an operation is refused. */
  maxCost: number;
  /** Largest serialized GraphQL response sent; a larger one is replaced by an error. */
  maxResponseBytes: number;
}

/**
 * How one client is kept from crowding out the others. A client is a principal when the
 * request authenticates, else the client IP (an IPv6 /64). 0 turns a limit off.
 */
export interface FairUseConfig {
  windowSeconds: number;
  /** Requests per window per client IP, for callers without a credential (or a bad one). */
  anonymousPerWindow: number;
  /** Requests per window per principal. */
  authenticatedPerWindow: number;
  /** Operations at or above this estimated cost count as expensive. */
  expensiveCost: number;
  /** Expensive operations one client may have running or waiting at once on one instance. */
  concurrentExpensivePerClient: number;
  /** Expensive operations running at a time on one instance; the others wait their turn. */
  expensiveAtOnce: number;
  /** Counters live in this Redis when set (shared by instances), else in memory. */
  redisUrl: string | undefined;
  /**
   * Fastify's `trustProxy` (the value forms of Express's `trust proxy`, both through
   * proxy-addr): which proxies' `X-Forwarded-For` names the client. Unset: none, the socket's
   * address is the client.
   */
  trustProxy: string | number | false;
}

/** How the audit log's checkpoints are named, signed and scheduled. */
export interface AuditConfig {
  origin: string;
  /** PEM (PKCS#8) Ed25519 private key, from AUDIT_SIGNING_KEY. */
  signingKeyPem: string | undefined;
  /**
   * AUDIT_SIGNING_KEY_FILE, absolute. In embedded mode it defaults to
   * `DATA_DIR/keys/audit-signing-key.pem`, outside the database's own directory.
   */
  signingKeyFile: string | undefined;
  /** 0: only on shutdown. */
  checkpointIntervalSeconds: number;
  /**
   * AUDIT_CHECKPOINT_FILE, absolute: where the last checkpoint this instance signed is kept
   * outside the database (docs/domain.md section 9). In embedded mode it defaults to
   * `DATA_DIR/audit-checkpoint.json`; against a shared PostgreSQL it must be set to get the
   * protection (each instance its own file, on storage the database's operators don't control).
   */
  checkpointFile: string | undefined;
}

/** The officials' workspace (`/console`): how long a session lasts, how often one may try to sign in. */
export interface ConsoleConfig {
  /** A session ends after this long without a request. */
  sessionIdleSeconds: number;
  /** A session ends this long after signing in, however active. */
  sessionMaxSeconds: number;
  /** Sign-in attempts per window per client network; 0 turns the limit off. */
  signInAttemptsPerWindow: number;
  signInWindowSeconds: number;
  /** Signing in with the identity provider (OpenID Connect), when OIDC_CLIENT_ID is set. */
  oidcSignIn: OidcSignInConfig | undefined;
}

/**
 * The workspace as an OpenID Connect client of the provider that issues the API's bearer
 * tokens (AUTH_ISSUER): authorisation code flow with PKCE.
 */
export interface OidcSignInConfig {
  /** AUTH_ISSUER: its discovery document is `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Absent: a public client, which PKCE alone protects (token_endpoint_auth_method none). */
  clientSecret: string | undefined;
  /** `${PUBLIC_BASE_URL}/console/sign-in/oidc/callback`: the URI to register at the provider. */
  redirectUri: string;
  /** Shown on the button, "Sign in with <providerName>". */
  providerName: string;
  /** Plain http to the provider: only for a provider on this machine (loopback), for testing. */
  allowHttp: boolean;
}

/** How webhooks are delivered (see src/webhooks/ and the README's "Webhooks"). */
export interface WebhookConfig {
  /**
   * WEBHOOK_ALLOWED_HOSTS: host names or addresses that may be used over plain http and may
   * resolve to non-public addresses (loopback, private ranges): for local testing only.
   */
  allowedHosts: string[];
  /** A receiver that has not answered within this is cut off (the attempt failed). */
  timeoutMs: number;
  /** The safety net under LISTEN/NOTIFY: how often due deliveries are looked for anyway. */
  pollIntervalMs: number;
  /** First retry delay; each further one doubles, up to retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Retries go on until a delivery is this old, then it is FAILED (at least 24 hours). */
  retryWindowSeconds: number;
  /** An endpoint whose every attempt failed for this many days is disabled. */
  disableAfterDays: number;
  /** WEBHOOK_DISPATCH=false: this instance writes deliveries but leaves sending to others. */
  dispatch: boolean;
}

/** The validated configuration of one service instance. */
export interface AppConfig {
  port: number;
  host: string;
  /** Unset: run on the embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: LogLevelName;
  bootstrapAdminKey: string | undefined;
  runMigrations: boolean;
  dbPoolSize: number;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  shutdownDrainMs: number;
  graphqlLimits: GraphqlLimits;
  oidc: OidcConfig | undefined;
  audit: AuditConfig;
  fairUse: FairUseConfig;
  /** Anonymous GET queries: how long shared caches may keep them (see httpCachePlugin). */
  httpCache: { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };
  /**
   * IN_FORCE_CACHE: keep which version each country has in force on a date in memory,
   * invalidated by PostgreSQL notifications (see ListsInForce). Off behind a transaction-mode
   * pooler, which cannot carry LISTEN.
   */
  inForceCache: boolean;
  /**
   * GRAPHQL_FAST_PATH: answer plain anonymous `checkEligibility` requests without Apollo
   * (see EligibilityFastPath); off, every request goes through Apollo.
   */
  graphqlFastPath: boolean;
  console: ConsoleConfig;
  /** PUBLIC_BASE_URL: where the public portal is reached, for links sent to other systems. */
  publicBaseUrl: string;
  webhooks: WebhookConfig;
}

/** Thrown at boot when the environment is not usable; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** A secret file's content as meant: `echo` and `openssl` end it with a newline. */
export function withoutTrailingNewline(content: string): string {
  return content.replace(/[\r\n]+$/, '');
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const found = allowed.find((a) => a === value.toLowerCase());
    if (!found) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return found;
  }

  /**
   * A secret, from NAME or from the file that NAME_FILE names (Docker and Kubernetes secrets
   * are files): its content without the trailing newline that `echo` and `openssl` leave.
   * Setting both is an error, so that nobody wonders which one is in force. Problems name
   * the variable and the path, never the value.
   */
  secret(name: string): string | undefined {
    const direct = this.raw(name);
    const file = this.raw(`${name}_FILE`);
    if (file === undefined) return direct;
    if (direct !== undefined) {
      this.problems.push(`${name} and ${name}_FILE are both set: set only one of them`);
      return undefined;
    }
    const content = this.file(`${name}_FILE`, file);
    if (content === undefined) return undefined;
    const value = withoutTrailingNewline(content);
    if (value.trim() === '') {
      this.problems.push(`${name}_FILE names an empty file (${absolute(file)})`);
      return undefined;
    }
    return value;
  }

  /** The content of the file at `path` (from variable `name`), or a problem saying why not. */
  file(name: string, path: string): string | undefined {
    try {
      return readFileSync(absolute(path), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.problems.push(`${name}: cannot read ${absolute(path)} (${code})`);
      return undefined;
    }
  }

  url(name: string, protocols: string[], value = this.raw(name)): string | undefined {
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value;
    } catch {
      // Never echo a database URL: it may hold a password.
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
      return undefined;
    }
  }
}

/** Hop counts, or the names and addresses `proxy-addr` (under Fastify's trustProxy) understands. */
const PROXY_TRUST = /^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)$/;

function trustProxy(r: Reader): string | number | false {
  const value = r.raw('TRUST_PROXY');
  if (value === undefined || /^(false|0|no)$/i.test(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  if (parts.every((p) => PROXY_TRUST.test(p))) return parts.join(',');
  r.problems.push(
    `TRUST_PROXY must be a number of proxy hops, or addresses, CIDR ranges and loopback, linklocal or uniquelocal separated by commas, got "${value}"`,
  );
  return false;
}

const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * DATABASE_URL with DATABASE_PASSWORD as its password, so that a deployment can keep the
 * URL in its plain configuration and only the password in a secret file. A URL that holds a
 * password of its own as well is an error: one of the two would be silently ignored.
 */
function withPassword(
  r: Reader,
  url: string | undefined,
  password: string | undefined,
): string | undefined {
  if (password === undefined || url === undefined) return url;
  const parsed = new URL(url);
  if (parsed.password !== '') {
    r.problems.push('DATABASE_URL holds a password and DATABASE_PASSWORD is set: set only one');
    return undefined;
  }
  // Percent-encoded, so that any character may be in the password (the driver decodes it).
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The workspace's OpenID Connect sign-in, on when OIDC_CLIENT_ID is set. It needs the bearer
 * token settings (AUTH_ISSUER and its companions): the same provider, so a person is the same
 * principal in the workspace and on the API. PUBLIC_BASE_URL must be set explicitly, because
 * the redirect URI derived from it has to match the one registered at the provider exactly,
 * and a guessed `http://localhost:PORT` would not. `publicBaseUrl` is undefined when the
 * bearer settings are incomplete.
 */
function readOidcSignIn(
  r: Reader,
  issuer: string | undefined,
  publicBaseUrl: string | undefined,
): OidcSignInConfig | undefined {
  const clientId = r.raw('OIDC_CLIENT_ID');
  const clientSecret = r.secret('OIDC_CLIENT_SECRET');
  const providerName = r.raw('OIDC_PROVIDER_NAME');
  if (clientId === undefined) {
    if (clientSecret !== undefined || providerName !== undefined)
      r.problems.push('OIDC_CLIENT_SECRET and OIDC_PROVIDER_NAME need OIDC_CLIENT_ID');
    return undefined;
  }
  if (issuer === undefined || publicBaseUrl === undefined) {
    r.problems.push(
      'OIDC_CLIENT_ID needs AUTH_ISSUER, AUTH_JWKS_URL and AUTH_AUDIENCE (the same provider signs people in)',
    );
    return undefined;
  }
  if (r.raw('PUBLIC_BASE_URL') === undefined) {
    r.problems.push(
      'OIDC_CLIENT_ID needs PUBLIC_BASE_URL: the redirect URI registered at the provider is derived from it',
    );
    return undefined;
  }
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    r.problems.push('AUTH_ISSUER must be a URL to sign in to the workspace with OpenID Connect');
    return undefined;
  }
  const allowHttp = issuerUrl.protocol === 'http:' && LOOPBACK_HOSTS.includes(issuerUrl.hostname);
  if (issuerUrl.protocol !== 'https:' && !allowHttp) {
    r.problems.push(
      'AUTH_ISSUER must be an https URL to sign in to the workspace with OpenID Connect (http only for a provider on localhost)',
    );
    return undefined;
  }
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri: `${publicBaseUrl}/console/sign-in/oidc/callback`,
    providerName: providerName ?? issuerUrl.hostname,
    allowHttp,
  };
}

/**
 * Reads and validates the environment. Fails fast with every bad variable named,
 * so that a misconfigured instance never starts half-working.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const r = new Reader(env);
  const dataDirRaw = r.raw('DATA_DIR') ?? './data';
  const dataDir = absolute(dataDirRaw);
  // Server mode is chosen by setting the variable, even when its value turns out to be bad.
  const serverMode =
    r.raw('DATABASE_URL') !== undefined || r.raw('DATABASE_URL_FILE') !== undefined;
  const databasePassword = r.secret('DATABASE_PASSWORD');
  if (databasePassword !== undefined && !serverMode) {
    r.problems.push('DATABASE_PASSWORD is set but DATABASE_URL is not');
  }
  const databaseUrl = withPassword(
    r,
    r.url('DATABASE_URL', ['postgres:', 'postgresql:'], r.secret('DATABASE_URL')),
    databasePassword,
  );
  const keyFileRaw = r.raw('AUDIT_SIGNING_KEY_FILE');
  const checkpointFileRaw = r.raw('AUDIT_CHECKPOINT_FILE');
  const bootstrapAdminKey = r.secret('BOOTSTRAP_ADMIN_KEY');
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 32) {
    r.problems.push('BOOTSTRAP_ADMIN_KEY must be at least 32 characters long');
  }

  const jwksUrl = r.url('AUTH_JWKS_URL', ['https:', 'http:']);
  const issuer = r.raw('AUTH_ISSUER');
  const audience = r.raw('AUTH_AUDIENCE');
  const oidcSet = [r.raw('AUTH_JWKS_URL'), issuer, audience].filter((v) => v !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < 3) {
    r.problems.push('AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE must be set together');
  }
  const algorithms = (r.raw('AUTH_JWT_ALGORITHMS') ?? 'RS256,ES256,EdDSA')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const badAlgorithms = algorithms.filter((a) => !JWT_ALGORITHMS.includes(a));
  if (badAlgorithms.length > 0 || algorithms.length === 0) {
    r.problems.push(
      `AUTH_JWT_ALGORITHMS must list asymmetric algorithms among ${JWT_ALGORITHMS.join(', ')}`,
    );
  }

  const origin = r.raw('AUDIT_LOG_ORIGIN') ?? 'localhost/positive-list-registry';
  if (/\s/.test(origin)) r.problems.push('AUDIT_LOG_ORIGIN must not contain white space');
  const signingKeyPem = r.raw('AUDIT_SIGNING_KEY');
  if (signingKeyPem !== undefined && !signingKeyPem.includes('BEGIN PRIVATE KEY')) {
    r.problems.push('AUDIT_SIGNING_KEY must be a PEM (PKCS#8) Ed25519 private key');
  }
  // AUDIT_SIGNING_KEY_FILE is that key's *_FILE form, read when the service starts. In embedded
  // mode a missing file is generated there; anywhere else it must be readable now.
  if (signingKeyPem !== undefined && keyFileRaw !== undefined) {
    r.problems.push(
      'AUDIT_SIGNING_KEY and AUDIT_SIGNING_KEY_FILE are both set: set only one of them',
    );
  } else if (keyFileRaw !== undefined && (serverMode || existsSync(absolute(keyFileRaw)))) {
    r.file('AUDIT_SIGNING_KEY_FILE', keyFileRaw);
  }

  const port = r.int('PORT', 3000, 0, 65535);
  const publicBaseUrl = (
    r.url('PUBLIC_BASE_URL', ['https:', 'http:']) ?? `http://localhost:${port}`
  ).replace(/\/+$/, '');
  const allowedHosts = (r.raw('WEBHOOK_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter((h) => h !== '');
  const oidcSignIn = readOidcSignIn(r, issuer, jwksUrl && audience ? publicBaseUrl : undefined);
  const webhookTimeoutMs = r.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000);

  const config: AppConfig = {
    port,
    host: r.raw('HOST') ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    bootstrapAdminKey,
    runMigrations: r.bool('MIGRATIONS_RUN', true),
    // At least 2: start-up migrations hold one connection for their lock and work on another.
    dbPoolSize: r.int('DB_POOL_SIZE', 10, 2, 200),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    shutdownDrainMs: r.int('SHUTDOWN_DRAIN_MS', 1000, 0, 120_000),
    graphqlLimits: {
      maxDepth: r.int('GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxAliases: r.int('GRAPHQL_MAX_ALIASES', 30, 0, 1000),
      maxTokens: r.int('GRAPHQL_MAX_TOKENS', 2000, 50, 100_000),
      maxRootFields: r.int('GRAPHQL_MAX_ROOT_FIELDS', 20, 1, 1000),
      maxCost: r.int('GRAPHQL_MAX_COST', 200_000, 100, 100_000_000),
      maxResponseBytes: r.int('GRAPHQL_MAX_RESPONSE_BYTES', 8 * 1024 * 1024, 1024, 1024 ** 3),
    },
    inForceCache: r.bool('IN_FORCE_CACHE', true),
    graphqlFastPath: r.bool('GRAPHQL_FAST_PATH', true),
    publicBaseUrl,
    webhooks: {
      allowedHosts,
      timeoutMs: webhookTimeoutMs,
      pollIntervalMs: r.int('WEBHOOK_POLL_INTERVAL_MS', 5_000, 50, 600_000),
      retryBaseMs: r.int('WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
      retryMaxMs: r.int('WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
      retryWindowSeconds: r.int('WEBHOOK_RETRY_WINDOW_SECONDS', 86_400, 1, 30 * 86_400),
      disableAfterDays: r.int('WEBHOOK_DISABLE_AFTER_DAYS', 5, 1, 365),
      dispatch: r.bool('WEBHOOK_DISPATCH', true),
    },
    httpCache: {
      maxAgeSeconds: r.int('HTTP_CACHE_MAX_AGE_SECONDS', 60, 0, 86_400),
      staleWhileRevalidateSeconds: r.int('HTTP_CACHE_STALE_SECONDS', 300, 0, 86_400),
    },
    fairUse: {
      windowSeconds: r.int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      anonymousPerWindow: r.int('RATE_LIMIT_ANONYMOUS', 300, 0, 10_000_000),
      authenticatedPerWindow: r.int('RATE_LIMIT_AUTHENTICATED', 1200, 0, 10_000_000),
      expensiveCost: r.int('RATE_LIMIT_EXPENSIVE_COST', 20_000, 1, 100_000_000),
      concurrentExpensivePerClient: r.int('RATE_LIMIT_CONCURRENT_EXPENSIVE', 2, 0, 1000),
      expensiveAtOnce: r.int('EXPENSIVE_OPERATIONS_AT_ONCE', 1, 1, 1000),
      redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
      trustProxy: trustProxy(r),
    },
    console: {
      sessionIdleSeconds: r.int('CONSOLE_SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60,
      sessionMaxSeconds: r.int('CONSOLE_SESSION_MAX_HOURS', 12, 1, 7 * 24) * 3600,
      signInAttemptsPerWindow: r.int('CONSOLE_SIGN_IN_ATTEMPTS', 10, 0, 10_000),
      signInWindowSeconds: r.int('CONSOLE_SIGN_IN_WINDOW_SECONDS', 900, 1, 86_400),
      oidcSignIn,
    },
    oidc: jwksUrl && issuer && audience ? { jwksUrl, issuer, audience, algorithms } : undefined,
    audit: {
      origin,
      // Environments often carry a PEM on one line with literal \n sequences.
      signingKeyPem: signingKeyPem?.replace(/\\n/g, '\n'),
      signingKeyFile: keyFileRaw
        ? absolute(keyFileRaw)
        : serverMode
          ? undefined
          : join(dataDir, 'keys', DEFAULT_SIGNING_KEY_FILE),
      checkpointIntervalSeconds: r.int('AUDIT_CHECKPOINT_INTERVAL_SECONDS', 60, 0, 86_400),
      checkpointFile: checkpointFileRaw
        ? absolute(checkpointFileRaw)
        : serverMode
          ? undefined
          : join(dataDir, 'audit-checkpoint.json'),
    },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
