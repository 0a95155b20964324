import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The deployment files keep their promises (docker/README.md): images pinned by digest on a
 * Node LTS, a service that runs as a role owning nothing with a read-only root file system,
 * and no secret anywhere but in secret files that compose cannot start without. No Docker
 * engine is needed; with the `docker compose` plugin installed, compose itself reads the file.
 */

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string[];
  volumes?: string[];
  restart?: string;
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
}

const composeText = read('docker/compose.yaml');
// Merge keys (<<) as compose reads them.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const { db, migrate, registry } = compose.services;
const dockerfile = read('docker/Dockerfile');
const envExample = read('docker/.env.example');

const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** Node.js LTS majors (even, supported): 20 reached its end of life in April 2026. */
const NODE_LTS = ['22', '24'];

describe('the image', () => {
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';

  it('is built on a Node LTS bookworm-slim image pinned by digest', () => {
    expect(nodeImage).toMatch(DIGEST);
    const tag = /^node:(\d+)-bookworm-slim@/.exec(nodeImage);
    expect(tag).not.toBeNull();
    expect(NODE_LTS).toContain(tag![1]);
    // Every stage starts from it: no other, unpinned base.
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    expect(new Set(bases)).toEqual(new Set(['${NODE_IMAGE}']));
  });

  it('runs a Node version that package.json engines admits', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    const minimum = /^>=(\d+)\.(\d+)$/.exec(engines.node);
    expect(minimum).not.toBeNull();
    const major = Number(/^node:(\d+)/.exec(nodeImage)![1]);
    expect(major).toBeGreaterThanOrEqual(Number(minimum![1]));
    // And the README states the same minimum as engines.
    expect(read('README.md')).toContain(`Node ${minimum![1]}.${minimum![2]} or later`);
  });

  it('runs as the node user, keeps its health check, and writes only to /data', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
  });

  it('is not sent the secrets as build context', () => {
    expect(read('.dockerignore')).toMatch(/^docker\/secrets$/m);
    expect(read('.gitignore')).toMatch(/^docker\/secrets\/$/m);
  });
});

describe('the compose file', () => {
  it('pins every image it pulls by digest, and builds the service once from the Dockerfile', () => {
    expect(db.image).toMatch(/^postgres:\d+@sha256:[0-9a-f]{64}$/);
    for (const service of [migrate, registry]) {
      expect(service.image).toBe('positive-list-registry:local');
      expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    for (const [name, service] of Object.entries(compose.services))
      expect([name, service.build !== undefined || DIGEST.test(service.image ?? '')]).toEqual([
        name,
        true,
      ]);
  });

  it('runs the service read-only, without capabilities or a way to gain privileges', () => {
    for (const service of [registry, migrate]) {
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
      expect(service.tmpfs).toContain('/tmp:size=16m,mode=1777');
    }
    expect(db.security_opt).toContain('no-new-privileges:true');
    // The only writable place of the service: its state volume at /data.
    expect(registry.volumes).toEqual(['registry-state:/data']);
    expect(registry.environment?.AUDIT_CHECKPOINT_FILE).toMatch(/^\/data\//);
  });

  it('migrates as the owner in a one-shot step, and runs the service as the app role', () => {
    expect(migrate.restart).toBe('no');
    expect(migrate.command?.slice(2)).toEqual([
      'migrate-and-grant',
      '--role',
      'registry_app',
      '--password-file',
      '/run/secrets/db_app_password',
    ]);
    expect(new URL(migrate.environment!.DATABASE_URL).username).toBe(db.environment!.POSTGRES_USER);
    expect(registry.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(new URL(registry.environment!.DATABASE_URL).username).toBe('registry_app');
    expect(registry.environment?.MIGRATIONS_RUN).toBe('false');
  });

  it('holds no secret but in secret files, each mounted where its *_FILE variable says', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|KEY|SECRET/.test(variable)) {
          // Every secret-bearing variable is the file form, pointing at one of its secrets.
          expect([name, variable]).toEqual([name, expect.stringMatching(/_FILE$/)]);
          const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
          expect([name, variable, service.secrets]).toEqual([
            name,
            variable,
            expect.arrayContaining([secret]),
          ]);
        }
        // No URL carries a password.
        if (/^postgres(ql)?:/.test(value)) expect(new URL(value).password).toBe('');
      }
    }
    expect(db.environment?.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/db_owner_password');
  });

  it('refuses to start without each secret file setting, which .env.example shows', () => {
    for (const [secret, { file }] of Object.entries(compose.secrets)) {
      const required = /^\$\{(\w+):\?[^}]+\}$/.exec(file);
      expect([secret, required !== null]).toEqual([secret, true]);
      // The example sets it, to a file under docker/secrets/.
      expect(envExample).toMatch(new RegExp(`^${required![1]}=\\./secrets/\\S+$`, 'm'));
    }
    // Every other variable has a default, and none of them is a secret.
    for (const [, name, modifier] of composeText.matchAll(/\$\{(\w+)(:[?-])?/g)) {
      if (modifier === ':?') continue;
      expect([name, modifier]).toEqual([name, ':-']);
      expect(name).not.toMatch(/PASSWORD|KEY|SECRET/);
      expect(envExample).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });
});
