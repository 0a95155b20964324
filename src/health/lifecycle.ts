import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down. While draining it still serves every request it
 * receives, but reports 503 on /health (so load balancers stop sending traffic) and asks
 * clients to close their connections, so nothing is cut off when the server then closes.
 */
@Injectable()
export class Lifecycle {
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
