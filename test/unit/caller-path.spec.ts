import { callerPath } from '../../src/cli/caller-path';

describe('callerPath: file arguments of `npm run cli`', () => {
  const root = '/srv/registry';
  const viaNpm = (initCwd: string) => ({ npm_lifecycle_event: 'cli', INIT_CWD: initCwd });

  it('resolves a relative path from the directory npm was called from', () => {
    expect(callerPath('audit.ndjson', viaNpm('/srv/registry/exports'), root)).toBe(
      '/srv/registry/exports/audit.ndjson',
    );
    expect(callerPath('../cp.json', viaNpm('/srv/registry/exports'), root)).toBe(
      '/srv/registry/cp.json',
    );
  });

  it('leaves the path as given from the package root, for absolute paths, and outside npm', () => {
    expect(callerPath('audit.ndjson', viaNpm(root), root)).toBe('audit.ndjson');
    expect(callerPath('/tmp/audit.ndjson', viaNpm('/home/a'), root)).toBe('/tmp/audit.ndjson');
    expect(callerPath('audit.ndjson', {}, root)).toBe('audit.ndjson');
    // Another npm script (a test run) that happens to start the CLI itself.
    expect(
      callerPath('audit.ndjson', { npm_lifecycle_event: 'test', INIT_CWD: '/home/a' }, root),
    ).toBe('audit.ndjson');
  });
});
