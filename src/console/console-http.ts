import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sendRequestError } from '../graphql/http-pipeline';

/** Every path of the officials' workspace starts with this. */
export const CONSOLE_PATH = '/console';

const isConsolePath = (url: string): boolean =>
  url === CONSOLE_PATH || url.startsWith(`${CONSOLE_PATH}/`) || url.startsWith(`${CONSOLE_PATH}?`);

/**
 * What the workspace needs of the HTTP edge: cookies (@fastify/cookie), HTML form posts
 * (@fastify/formbody) and file uploads (@fastify/multipart). Forms are for the workspace only:
 * anywhere else an url-encoded or multipart body is refused as before (415), so that no simple
 * cross-site form can reach the GraphQL endpoint.
 */
export async function registerConsoleHttp(
  app: NestFastifyApplication,
  bodyLimitBytes: number,
): Promise<void> {
  await app.register(cookie);
  await app.register(formbody);
  // File uploads (importing entries): fields and the one file land in the body like a form's,
  // so the form token is checked the same way; the file is held whole, within the body limit.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fields: 20, fileSize: bodyLimitBytes, fieldSize: bodyLimitBytes },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preHandler', (request, reply, done) => {
    const type = request.headers['content-type'] ?? '';
    const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type);
    if (form && !isConsolePath(request.url)) {
      sendRequestError(reply, 415, 'Request body must be application/json');
      return;
    }
    done();
  });
}
