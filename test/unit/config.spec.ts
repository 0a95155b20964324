import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

const OIDC = {
  AUTH_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.org/',
  AUTH_AUDIENCE: 'positive-list-registry',
};

describe('loadConfig', () => {
  describe('defaults', () => {
    const config = loadConfig({});

    it('listens on port 3000 on all interfaces', () => {
      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
    });

    it('resolves DATA_DIR to an absolute ./data under the working directory', () => {
      expect(config.dataDir).toBe(resolve(process.cwd(), 'data'));
    });

    it('runs migrations, uses a pool of 10 and has no database URL', () => {
      expect(config.runMigrations).toBe(true);
      expect(config.dbPoolSize).toBe(10);
      expect(config.databaseUrl).toBeUndefined();
    });

    it('logs at info and has no OIDC or bootstrap key', () => {
      expect(config.logLevel).toBe('info');
      expect(config.oidc).toBeUndefined();
      expect(config.bootstrapAdminKey).toBeUndefined();
    });

    it('treats blank values as unset', () => {
      expect(loadConfig({ PORT: '  ', DATA_DIR: '' }).port).toBe(3000);
    });
  });

  describe('valid values', () => {
    it('reads port, pool size, log level and the migrations switch', () => {
      const config = loadConfig({
        PORT: '8080',
        DB_POOL_SIZE: '2',
        LOG_LEVEL: 'DEBUG',
        MIGRATIONS_RUN: 'no',
      });
      expect(config.port).toBe(8080);
      expect(config.dbPoolSize).toBe(2);
      expect(config.logLevel).toBe('debug');
      expect(config.runMigrations).toBe(false);
    });

    it('keeps an absolute DATA_DIR and resolves a relative one', () => {
      expect(loadConfig({ DATA_DIR: '/var/lib/plr' }).dataDir).toBe('/var/lib/plr');
      expect(loadConfig({ DATA_DIR: 'state/db' }).dataDir).toBe(resolve(process.cwd(), 'state/db'));
    });

    it('keeps the last signed checkpoint beside the data in embedded mode, only where told on a server', () => {
      expect(loadConfig({ DATA_DIR: '/srv/registry' }).audit.checkpointFile).toBe(
        '/srv/registry/audit-checkpoint.json',
      );
      const server = { DATABASE_URL: 'postgres://u@db:5432/registry' };
      expect(loadConfig(server).audit.checkpointFile).toBeUndefined();
      expect(
        loadConfig({ ...server, AUDIT_CHECKPOINT_FILE: 'state/cp.json' }).audit.checkpointFile,
      ).toBe(resolve('state/cp.json'));
    });

    it('accepts a postgres DATABASE_URL', () => {
      const url = 'postgres://app:secret@db.internal:5432/registry';
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });

    it('accepts a bootstrap key of exactly 32 characters', () => {
      const key = 'k'.repeat(32);
      expect(loadConfig({ BOOTSTRAP_ADMIN_KEY: key }).bootstrapAdminKey).toBe(key);
    });

    it('builds the OIDC settings when all three variables are set', () => {
      expect(loadConfig({ ...OIDC, AUTH_JWT_ALGORITHMS: 'ES256, PS256' }).oidc).toEqual({
        jwksUrl: OIDC.AUTH_JWKS_URL,
        issuer: OIDC.AUTH_ISSUER,
        audience: OIDC.AUTH_AUDIENCE,
        algorithms: ['ES256', 'PS256'],
      });
    });

    it('defaults the OIDC algorithms to asymmetric ones', () => {
      expect(loadConfig(OIDC).oidc?.algorithms).toEqual(['RS256', 'ES256', 'EdDSA']);
    });
  });

  describe('each bad variable is named', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['DB_POOL_SIZE', '1'],
      ['DB_POOL_SIZE', '201'],
      ['LOG_LEVEL', 'loud'],
      ['MIGRATIONS_RUN', 'maybe'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'not a url'],
      ['BOOTSTRAP_ADMIN_KEY', 'too-short'],
      ['AUTH_JWT_ALGORITHMS', 'HS256'],
    ])('%s=%s', (name, value) => {
      const error = configError({ [name]: value });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toContain(name);
      expect(error.message).toContain(name);
      expect(error.name).toBe('ConfigError');
    });
  });

  it('reports several problems at once', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', MIGRATIONS_RUN: 'maybe' });
    expect(error.problems).toHaveLength(3);
    for (const name of ['PORT', 'LOG_LEVEL', 'MIGRATIONS_RUN']) {
      expect(error.problems.some((p) => p.includes(name))).toBe(true);
      expect(error.message).toContain(name);
    }
  });

  it('never echoes a DATABASE_URL, which may hold a password', () => {
    const error = configError({ DATABASE_URL: 'mysql://admin:hunter2-s3cret@db:3306/registry' });
    expect(error.problems[0]).toContain('DATABASE_URL');
    expect(error.message).not.toContain('hunter2-s3cret');
    expect(error.message).not.toContain('admin:');
    expect(JSON.stringify(error.problems)).not.toContain('hunter2-s3cret');
  });

  it('never echoes a too-short BOOTSTRAP_ADMIN_KEY', () => {
    const error = configError({ BOOTSTRAP_ADMIN_KEY: 'shortsecret-xyz' });
    expect(error.problems).toEqual(['BOOTSTRAP_ADMIN_KEY must be at least 32 characters long']);
    expect(error.message).not.toContain('shortsecret-xyz');
  });

  describe('OIDC', () => {
    it.each([
      ['only AUTH_JWKS_URL', { AUTH_JWKS_URL: OIDC.AUTH_JWKS_URL }],
      ['only AUTH_ISSUER', { AUTH_ISSUER: OIDC.AUTH_ISSUER }],
      ['no AUTH_AUDIENCE', { AUTH_JWKS_URL: OIDC.AUTH_JWKS_URL, AUTH_ISSUER: OIDC.AUTH_ISSUER }],
    ])('requires the variables together (%s)', (_label, env) => {
      const error = configError(env);
      expect(error.problems).toEqual([
        'AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE must be set together',
      ]);
    });

    it('rejects a JWKS URL that is not http(s)', () => {
      const error = configError({ ...OIDC, AUTH_JWKS_URL: 'ftp://idp.example.org/jwks' });
      expect(error.problems.some((p) => p.startsWith('AUTH_JWKS_URL must be'))).toBe(true);
    });

    it.each(['HS256', 'none', 'RS256,HS256', 'RS256,none', ' , '])(
      'rejects AUTH_JWT_ALGORITHMS=%j',
      (algorithms) => {
        const error = configError({ ...OIDC, AUTH_JWT_ALGORITHMS: algorithms });
        expect(error.problems).toHaveLength(1);
        expect(error.problems[0]).toContain('AUTH_JWT_ALGORITHMS');
      },
    );
  });

  describe('workspace sign-in with OpenID Connect', () => {
    const SIGN_IN = {
      ...OIDC,
      PUBLIC_BASE_URL: 'https://registry.example.org/',
      OIDC_CLIENT_ID: 'registry-workspace',
    };

    it('is off without OIDC_CLIENT_ID', () => {
      expect(loadConfig(OIDC).console.oidcSignIn).toBeUndefined();
    });

    it('derives the redirect URI from PUBLIC_BASE_URL and names the provider by its host', () => {
      expect(loadConfig(SIGN_IN).console.oidcSignIn).toEqual({
        issuer: OIDC.AUTH_ISSUER,
        clientId: 'registry-workspace',
        clientSecret: undefined,
        redirectUri: 'https://registry.example.org/console/sign-in/oidc/callback',
        providerName: 'idp.example.org',
        allowHttp: false,
      });
    });

    it('takes a client secret (a confidential client) and a provider name', () => {
      const config = loadConfig({
        ...SIGN_IN,
        OIDC_CLIENT_SECRET: 's3cret',
        OIDC_PROVIDER_NAME: 'Ministry account',
      });
      expect(config.console.oidcSignIn).toMatchObject({
        clientSecret: 's3cret',
        providerName: 'Ministry account',
      });
    });

    it('allows plain http only to a provider on localhost', () => {
      const local = {
        AUTH_ISSUER: 'http://localhost:8080',
        AUTH_JWKS_URL: 'http://localhost:8080/jwks',
      };
      expect(loadConfig({ ...SIGN_IN, ...local }).console.oidcSignIn?.allowHttp).toBe(true);
      const error = configError({
        ...SIGN_IN,
        AUTH_ISSUER: 'http://idp.example.org',
        AUTH_JWKS_URL: 'http://idp.example.org/jwks',
      });
      expect(error.problems).toEqual([
        'AUTH_ISSUER must be an https URL to sign in to the workspace with OpenID Connect (http only for a provider on localhost)',
      ]);
    });

    it.each([
      [
        'no bearer settings',
        { PUBLIC_BASE_URL: SIGN_IN.PUBLIC_BASE_URL, OIDC_CLIENT_ID: 'x' },
        'OIDC_CLIENT_ID needs AUTH_ISSUER, AUTH_JWKS_URL and AUTH_AUDIENCE (the same provider signs people in)',
      ],
      [
        'no PUBLIC_BASE_URL',
        { ...OIDC, OIDC_CLIENT_ID: 'x' },
        'OIDC_CLIENT_ID needs PUBLIC_BASE_URL: the redirect URI registered at the provider is derived from it',
      ],
      [
        'a secret without a client id',
        { ...OIDC, OIDC_CLIENT_SECRET: 's3cret' },
        'OIDC_CLIENT_SECRET and OIDC_PROVIDER_NAME need OIDC_CLIENT_ID',
      ],
    ])('is refused with %s', (_label, env, problem) => {
      expect(configError(env).problems).toEqual([problem]);
    });

    it('never echoes the client secret', () => {
      const error = configError({ ...OIDC, OIDC_CLIENT_SECRET: 'do-not-show-me' });
      expect(error.message).not.toContain('do-not-show-me');
    });
  });

  describe('secrets from files (NAME_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plr-config-'));
    /** Writes `content` to a file of its own and returns its path. */
    const secretFile = (name: string, content: string): string => {
      const path = join(dir, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    const key = 'b'.repeat(40);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads BOOTSTRAP_ADMIN_KEY from its file, without the trailing newline', () => {
      const file = secretFile('bootstrap', `${key}\n`);
      expect(loadConfig({ BOOTSTRAP_ADMIN_KEY_FILE: file }).bootstrapAdminKey).toBe(key);
      const crlf = secretFile('bootstrap-crlf', `${key}\r\n`);
      expect(loadConfig({ BOOTSTRAP_ADMIN_KEY_FILE: crlf }).bootstrapAdminKey).toBe(key);
    });

    it('reads DATABASE_URL from its file', () => {
      const url = 'postgres://registry_app:s3cret@db:5432/registry';
      const file = secretFile('database-url', `${url}\n`);
      const config = loadConfig({ DATABASE_URL_FILE: file });
      expect(config.databaseUrl).toBe(url);
      // Server mode, as with DATABASE_URL itself: no embedded defaults.
      expect(config.audit.checkpointFile).toBeUndefined();
      expect(config.audit.signingKeyFile).toBeUndefined();
    });

    it('puts DATABASE_PASSWORD (from its file) into DATABASE_URL, percent-encoded', () => {
      const password = 'p@ss:w/rd%20 x';
      const file = secretFile('database-password', `${password}\n`);
      const config = loadConfig({
        DATABASE_URL: 'postgres://registry_app@db:5432/registry',
        DATABASE_PASSWORD_FILE: file,
      });
      const url = new URL(config.databaseUrl!);
      expect(url.username).toBe('registry_app');
      expect(decodeURIComponent(url.password)).toBe(password);
      expect(url.host).toBe('db:5432');
      expect(url.pathname).toBe('/registry');
    });

    it('accepts the key file AUDIT_SIGNING_KEY_FILE names on a server', () => {
      const file = secretFile('signing-key.pem', '-----BEGIN PRIVATE KEY-----\n');
      const config = loadConfig({
        DATABASE_URL: 'postgres://u@db/registry',
        AUDIT_SIGNING_KEY_FILE: file,
      });
      expect(config.audit.signingKeyFile).toBe(file);
    });

    it.each([
      ['BOOTSTRAP_ADMIN_KEY', key],
      ['DATABASE_URL', 'postgres://u:hunter2-s3cret@db/registry'],
      ['DATABASE_PASSWORD', 'hunter2-s3cret'],
    ])('refuses %s set both directly and as a file', (name, value) => {
      const file = secretFile(`both-${name}`, `${value}\n`);
      const env: Record<string, string> = { [name]: value, [`${name}_FILE`]: file };
      if (name === 'DATABASE_PASSWORD') env.DATABASE_URL = 'postgres://u@db/registry';
      const error = configError(env);
      expect(error.problems).toEqual([
        `${name} and ${name}_FILE are both set: set only one of them`,
      ]);
      expect(error.message).not.toContain('hunter2-s3cret');
    });

    it('refuses AUDIT_SIGNING_KEY set both directly and as a file', () => {
      const file = secretFile('both-signing.pem', '-----BEGIN PRIVATE KEY-----\n');
      const error = configError({
        AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\\nAAAA',
        AUDIT_SIGNING_KEY_FILE: file,
      });
      expect(error.problems).toEqual([
        'AUDIT_SIGNING_KEY and AUDIT_SIGNING_KEY_FILE are both set: set only one of them',
      ]);
    });

    it.each(['BOOTSTRAP_ADMIN_KEY', 'DATABASE_URL', 'DATABASE_PASSWORD'])(
      'names %s_FILE and the path when the file cannot be read',
      (name) => {
        const missing = join(dir, `missing-${name}`);
        const env: Record<string, string> = { [`${name}_FILE`]: missing };
        if (name === 'DATABASE_PASSWORD') env.DATABASE_URL = 'postgres://u@db/registry';
        const error = configError(env);
        expect(error.problems).toEqual([`${name}_FILE: cannot read ${missing} (ENOENT)`]);
      },
    );

    it('names AUDIT_SIGNING_KEY_FILE when a server has no such file', () => {
      const missing = join(dir, 'missing-key.pem');
      const error = configError({
        DATABASE_URL: 'postgres://u@db/registry',
        AUDIT_SIGNING_KEY_FILE: missing,
      });
      expect(error.problems).toEqual([`AUDIT_SIGNING_KEY_FILE: cannot read ${missing} (ENOENT)`]);
    });

    it('leaves a missing AUDIT_SIGNING_KEY_FILE to be generated in embedded mode', () => {
      const missing = join(dir, 'generated-later.pem');
      expect(loadConfig({ AUDIT_SIGNING_KEY_FILE: missing }).audit.signingKeyFile).toBe(missing);
    });

    // A path that exists but cannot be read as a file (a directory): refused with the reason,
    // as an unreadable file would be (EACCES; root, as in CI, reads any file whatever its
    // mode, so a directory is what every user can check).
    it('says so when the path is there but cannot be read (never what it would hold)', () => {
      const unreadable = mkdtempSync(join(dir, 'not-a-file-'));
      const error = configError({ BOOTSTRAP_ADMIN_KEY_FILE: unreadable });
      expect(error.problems).toEqual([
        `BOOTSTRAP_ADMIN_KEY_FILE: cannot read ${unreadable} (EISDIR)`,
      ]);
    });

    it('refuses an empty secret file', () => {
      const file = secretFile('empty', '\n');
      expect(configError({ BOOTSTRAP_ADMIN_KEY_FILE: file }).problems).toEqual([
        `BOOTSTRAP_ADMIN_KEY_FILE names an empty file (${file})`,
      ]);
    });

    it('checks a secret from a file like the variable: a short key is named, not shown', () => {
      const file = secretFile('short', 'shortsecret-xyz\n');
      const error = configError({ BOOTSTRAP_ADMIN_KEY_FILE: file });
      expect(error.problems).toEqual(['BOOTSTRAP_ADMIN_KEY must be at least 32 characters long']);
      expect(error.message).not.toContain('shortsecret-xyz');
    });

    it('never echoes a DATABASE_URL from a file', () => {
      const file = secretFile('bad-url', 'mysql://admin:hunter2-s3cret@db/registry\n');
      const error = configError({ DATABASE_URL_FILE: file });
      expect(error.problems).toEqual(['DATABASE_URL must be a postgres: or postgresql: URL']);
      expect(error.message).not.toContain('hunter2-s3cret');
    });

    it('refuses a password both in DATABASE_URL and in DATABASE_PASSWORD', () => {
      const error = configError({
        DATABASE_URL: 'postgres://u:hunter2-s3cret@db/registry',
        DATABASE_PASSWORD: 'other-s3cret',
      });
      expect(error.problems).toEqual([
        'DATABASE_URL holds a password and DATABASE_PASSWORD is set: set only one',
      ]);
      expect(error.message).not.toMatch(/hunter2|other-s3cret/);
    });

    it('refuses DATABASE_PASSWORD without DATABASE_URL', () => {
      expect(configError({ DATABASE_PASSWORD: 'x' }).problems).toEqual([
        'DATABASE_PASSWORD is set but DATABASE_URL is not',
      ]);
    });
  });
});
