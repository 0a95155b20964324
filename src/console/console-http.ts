import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sendRequestError } from '../graphql/http-pipeline';

/** Every path of the officials' workspace starts with this. */
export const CONSOLE_PATH = '/console';

const isConsolePath = (url: string): boolean =>
  url === CONSOLE_PATH || url.startsWith(`${CONSOLE_PATH}/`) || url.startsWith(`${CONSOLE_PATH}?`);

/**
 * What the workspace needs of the HTTP edge: cookies (@fastify/cookie) and HTML form posts
 * (@fastify/formbody). Forms are for the workspace only: anywhere else an url-encoded body is
 * refused as before (415), so that no simple cross-site form can reach the GraphQL endpoint.
 */
export async function registerConsoleHttp(app: NestFastifyApplication): Promise<void> {
  await app.register(cookie);
  await app.register(formbody);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preHandler', (request, reply, done) => {
    const type = request.headers['content-type'] ?? '';
    if (/^application\/x-www-form-urlencoded/i.test(type) && !isConsolePath(request.url)) {
      sendRequestError(reply, 415, 'Request body must be application/json');
      return;
    }
    done();
  });
}
