import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { clientNetwork } from '../graphql/fair-use';

/**
 * Sign-in attempts per client network (an IPv4 address, an IPv6 /64), counted whether they
 * succeed or not (rate-limiter-flexible, in this instance's memory): keys carry 256 bits, so
 * this is less about guessing than about a flood of key look-ups and log lines.
 */
@Injectable()
export class SignInLimiter {
  private readonly limiter?: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { signInAttemptsPerWindow: points, signInWindowSeconds: duration } = config.console;
    if (points > 0)
      this.limiter = new RateLimiterMemory({ points, duration, keyPrefix: 'console-sign-in' });
  }

  /** Counts one attempt from `ip`: undefined when allowed, else the seconds to wait. */
  async attempt(ip: string | undefined): Promise<number | undefined> {
    if (!this.limiter) return undefined;
    try {
      await this.limiter.consume(clientNetwork(ip));
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
