import { Page, Response } from 'playwright-core';
import { Client } from 'pg';
import { PORTAL_ADMIN_KEY, Portal } from './portal-browser';
import { gqlPost } from './service-process';

/** A new principal of the demo data, by the administrator through the API: its API key. */
export async function createPrincipal(
  portal: Portal,
  name: string,
  role: string,
  hostCountry: string | null,
): Promise<string> {
  const res = await gqlPost(
    `${portal.base}/graphql`,
    `mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }`,
    { input: { name, role, hostCountry, reason: 'workspace browser tests' } },
    PORTAL_ADMIN_KEY,
  );
  if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createPrincipal.apiKey as string;
}

/** Signs in on the page the browser is on (the sign-in form), as a person would. */
export async function signInHere(page: Page, key: string): Promise<void> {
  await page.fill('#key', key);
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
}

/** Clicks a submit button and waits for the page its POST leads to; gives the POST's response. */
export async function post(page: Page, selector: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(selector),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Opens the sign-in form and signs in. */
export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await signInHere(page, key);
}

/** SQL on the service's database, as its operator (to age a session). */
export async function sql(portal: Portal, text: string): Promise<number> {
  const client = new Client({ connectionString: portal.db.url });
  await client.connect();
  try {
    return (await client.query(text)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
