import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../auth/access';
import { Role } from '../auth/role';
import { exportedEvent } from './audit-event';
import { AuditRepository } from './audit.repository';

/**
 * `GET /audit/export`: the whole log as NDJSON, one event per line in RFC 8785 canonical
 * form with its hash, streamed a batch at a time (with backpressure) so the log is never
 * held in memory. `npm run cli -- verify-audit FILE` checks such a file offline.
 */
@Controller('audit')
export class AuditExportController {
  constructor(private readonly audit: AuditRepository) {}

  @Get('export')
  @Roles(Role.ADMIN, Role.AUDITOR)
  export(@Res() reply: FastifyReply): FastifyReply {
    const audit = this.audit;
    async function* lines(): AsyncGenerator<string> {
      for await (const batch of audit.stream(0, 5000)) {
        yield batch.map((event) => exportedEvent(event) + '\n').join('');
      }
    }
    // Backpressure: a byte stream with a small buffer asks for the next batch only once the
    // previous one has gone to the socket (Fastify pipes it), and a client that goes away
    // destroys it, which ends the generator and its reads.
    const body = Readable.from(lines(), { objectMode: false, highWaterMark: 1 });
    return reply
      .code(200)
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.ndjson"')
      .send(body);
  }
}
