import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access';
import { Lifecycle } from './lifecycle';

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: Lifecycle,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  async health(
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<{ status: string; database: string }> {
    if (this.lifecycle.draining) {
      void res.code(503);
      return { status: 'draining', database: 'up' };
    }
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return { status: 'ok', database: 'up' };
    } catch {
      void res.code(503);
      return { status: 'unavailable', database: 'down' };
    }
  }
}
