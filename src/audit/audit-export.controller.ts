import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { once } from 'node:events';
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
  async export(@Res() res: Response): Promise<void> {
    res.status(200);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="audit-log.ndjson"');
    let closed = false;
    res.on('close', () => (closed = true));
    for await (const batch of this.audit.stream(0, 5000)) {
      if (closed) return;
      const chunk = batch.map((event) => exportedEvent(event) + '\n').join('');
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  }
}
