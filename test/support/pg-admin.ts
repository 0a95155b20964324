import { Client } from 'pg';

/**
 * The PostgreSQL server the tests use: TEST_DATABASE_URL (CI points it at a fresh database
 * it created), else the local server on 127.0.0.1:5432 as `postgres`.
 */
export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
}

export function urlFor(database: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Runs statements on the server's maintenance database (for CREATE/DROP DATABASE). */
export async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
