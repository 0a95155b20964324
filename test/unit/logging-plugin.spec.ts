import { GraphQLError } from 'graphql';
import { badInput } from '../../src/common/errors';
import { loggingPlugin } from '../../src/graphql/logging.plugin';
import { JsonLogger } from '../../src/logging/json-logger';

/** The log lines the plugin writes for one request that met these errors. */
async function linesFor(errors: Error[]): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const plugin = loggingPlugin(new JsonLogger('info', (line) => lines.push(line)));
  const listener: any = await plugin.requestDidStart!({} as never);
  await listener.didEncounterErrors({
    errors: errors.map((e) => new GraphQLError(e.message, { path: ['x'], originalError: e })),
    contextValue: { requestId: 'req-1' },
    operationName: 'Op',
  });
  return lines.map((l) => JSON.parse(l));
}

describe('loggingPlugin', () => {
  it('warns, without the value or the SQL, when the database refused a value', async () => {
    const refused = Object.assign(new Error('invalid byte sequence: 0x00'), {
      severity: 'ERROR',
      code: '22021',
    });
    const [line, ...rest] = await linesFor([refused]);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'input refused by the database',
      requestId: 'req-1',
      operationName: 'Op',
      sqlState: '22021',
    });
    expect(JSON.stringify(line)).not.toContain('0x00');
  });

  it('logs faults of ours as errors and client errors not at all', async () => {
    const lines = await linesFor([badInput('bad'), new Error('boom')]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error', error: 'boom' });
  });
});
