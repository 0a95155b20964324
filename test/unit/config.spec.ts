import { resolve } from 'node:path';
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
});
