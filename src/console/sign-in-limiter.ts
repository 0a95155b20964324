import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { clientNetwork } from '../graphql/fair-use';
import { RateLimitStore, consumeOne } from '../graphql/rate-limit-store';

/**
 * Sign-in attempts per client network (an IPv4 address, an IPv6 /64), counted whether they
 * succeed or not, in the RateLimitStore: in Redis when REDIS_URL is set, so that a client
 * cannot multiply its budget by the number of instances behind the balancer. Keys carry 256
 * bits, so this is less about guessing than about a flood of key look-ups and log lines.
 */
@Injectable()
export class SignInLimiter {
  private readonly limiter?: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, store: RateLimitStore) {
    const { signInAttemptsPerWindow: points, signInWindowSeconds: duration } = config.console;
    if (points > 0) this.limiter = store.limiter('console-sign-in', points, duration);
  }

  /** Counts one attempt from `ip`: undefined when allowed, else the seconds to wait. */
  async attempt(ip: string | undefined): Promise<number | undefined> {
    if (!this.limiter) return undefined;
    const refused = await consumeOne(this.limiter, clientNetwork(ip));
    return refused ? Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) : undefined;
  }
}
