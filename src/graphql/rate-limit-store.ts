import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';

/**
 * Where the service's rate limits count (rate-limiter-flexible): in Redis when REDIS_URL is
 * set, so every instance counts against one budget, else in this process. While Redis is
 * unreachable each instance counts in its own memory (the insurance limiter) rather than
 * letting everything through or refusing everyone. One connection serves every limiter: the
 * API's requests per client and the workspace's sign-in attempts.
 */
@Injectable()
export class RateLimitStore implements OnModuleDestroy {
  private readonly redis?: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, logger: JsonLogger) {
    const { redisUrl } = config.fairUse;
    if (!redisUrl) return;
    this.redis = new Redis(redisUrl, {
      // Fail fast to the insurance limiter instead of queueing requests behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    let reachable = true;
    this.redis.on('error', (error: Error) => {
      if (!reachable) return;
      reachable = false;
      logger.emit('warn', 'rate-limit store unreachable; counting in memory meanwhile', {
        error: error.message,
      });
    });
    this.redis.on('ready', () => {
      if (!reachable) logger.emit('info', 'rate-limit store reachable again');
      reachable = true;
    });
  }

  /** A limiter of `points` per `duration` seconds, its keys under `registry:rate:<kind>`. */
  limiter(kind: string, points: number, duration: number): RateLimiterAbstract {
    const options = { points, duration, keyPrefix: `registry:rate:${kind}` };
    const memory = new RateLimiterMemory(options);
    if (!this.redis) return memory;
    return new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: memory });
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    // Also stops a reconnection loop to a Redis that never answered.
    this.redis.disconnect();
  }
}

/** Counts one hit of `key`: undefined when allowed, else the refusal (with msBeforeNext). */
export async function consumeOne(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    // The store failed and so did the insurance: serve rather than refuse everyone.
    return undefined;
  }
}

/** One store per process, shared by the API's edge and the workspace. */
@Module({ providers: [RateLimitStore], exports: [RateLimitStore] })
export class RateLimitModule {}
