import { loadConfig, ConfigError } from '../../src/config/config';
import { clientNetwork, clientOf } from '../../src/graphql/fair-use';
import { ExpensiveOperations } from '../../src/graphql/query-cost';
import { Role } from '../../src/auth/role';

describe('clientNetwork', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'unknown'],
    [undefined, 'unknown'],
  ])('counts %s as %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });

  it('names a principal by id, wherever it calls from, and anyone else by network', () => {
    const principal = { id: 'p-1', name: 'Ama', role: Role.OFFICIAL, hostCountry: 'GHA' };
    expect(clientOf(principal, '203.0.113.7')).toBe('principal:p-1');
    expect(clientOf(null, '203.0.113.7')).toBe('ip:203.0.113.7');
  });
});

describe('ExpensiveOperations', () => {
  it('gives each client at most its share, running or waiting', async () => {
    const ops = new ExpensiveOperations(2, 10, 10);
    expect(await ops.start('a')).toBe('started');
    expect(await ops.start('a')).toBe('started');
    expect(await ops.start('a')).toBe('client-busy');
    expect(await ops.start('b')).toBe('started');
    ops.finish('a');
    expect(ops.countFor('a')).toBe(1);
    expect(await ops.start('a')).toBe('started');
  });

  it('runs `atOnce` at a time and hands the slot to the longest waiting, in order', async () => {
    const ops = new ExpensiveOperations(0, 1, 10);
    const order: string[] = [];
    expect(await ops.start('a')).toBe('started');
    const b = ops.start('b').then((o) => order.push(`b ${o}`));
    const c = ops.start('c').then((o) => order.push(`c ${o}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    ops.finish('a');
    await b;
    expect(order).toEqual(['b started']);
    ops.finish('b');
    await c;
    expect(order).toEqual(['b started', 'c started']);
    ops.finish('c');
    // All slots free again: the next starts at once.
    expect(await ops.start('d')).toBe('started');
  });

  it('turns the next away when too many already wait', async () => {
    const ops = new ExpensiveOperations(0, 1, 1);
    expect(await ops.start('a')).toBe('started');
    void ops.start('b');
    expect(await ops.start('c')).toBe('instance-busy');
  });
});

describe('fair-use configuration', () => {
  it('has defaults that suit one public instance', () => {
    expect(loadConfig({}).fairUse).toEqual({
      windowSeconds: 60,
      anonymousPerWindow: 300,
      authenticatedPerWindow: 1200,
      expensiveCost: 20_000,
      concurrentExpensivePerClient: 2,
      expensiveAtOnce: 1,
      redisUrl: undefined,
      trustProxy: false,
    });
    expect(loadConfig({}).graphqlLimits.maxResponseBytes).toBe(8 * 1024 * 1024);
  });

  it('reads every variable', () => {
    const fairUse = loadConfig({
      RATE_LIMIT_WINDOW_SECONDS: '10',
      RATE_LIMIT_ANONYMOUS: '0',
      RATE_LIMIT_AUTHENTICATED: '50',
      RATE_LIMIT_EXPENSIVE_COST: '5000',
      RATE_LIMIT_CONCURRENT_EXPENSIVE: '1',
      EXPENSIVE_OPERATIONS_AT_ONCE: '4',
      REDIS_URL: 'redis://cache:6379/2',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    }).fairUse;
    expect(fairUse).toEqual({
      windowSeconds: 10,
      anonymousPerWindow: 0,
      authenticatedPerWindow: 50,
      expensiveCost: 5000,
      concurrentExpensivePerClient: 1,
      expensiveAtOnce: 4,
      redisUrl: 'redis://cache:6379/2',
      trustProxy: 'loopback,10.0.0.0/8',
    });
    expect(loadConfig({ TRUST_PROXY: '2' }).fairUse.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).fairUse.trustProxy).toBe(false);
  });

  it('refuses a proxy trust that would believe anyone, and a Redis URL that is not one', () => {
    let error: unknown;
    try {
      loadConfig({ TRUST_PROXY: 'true', REDIS_URL: 'http://cache:6379' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'REDIS_URL must be a redis: or rediss: URL',
      expect.stringMatching(/^TRUST_PROXY must be a number of proxy hops/),
    ]);
  });
});
