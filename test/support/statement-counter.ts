import { Client } from 'pg';

/**
 * Runs `work` and counts the SQL statements sent to PostgreSQL meanwhile, through any pool
 * or client in this process (pg's Client.query). For bounds on N+1 queries.
 */
export async function countStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const query = Client.prototype.query as (...a: unknown[]) => unknown;
  let statements = 0;
  const counting = function (this: Client, ...args: unknown[]) {
    statements += 1;
    return query.apply(this, args);
  };
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(counting);
  try {
    const result = await work();
    return { result, statements };
  } finally {
    spy.mockRestore();
  }
}
