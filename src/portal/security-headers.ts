import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every response (helmet), with a Content-Security-Policy that allows no
 * inline script and nothing from another origin: the portal's pages load one stylesheet and,
 * at most, scripts of its own. TLS is terminated in front of the service, so requests are not
 * upgraded here (`upgrade-insecure-requests` would break plain-HTTP development).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    // The API is read by clients of any origin; pages are not framed (frame-ancestors).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}
