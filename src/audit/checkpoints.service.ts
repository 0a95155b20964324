import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { KeyObject, createPublicKey } from 'node:crypto';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { AuditRepository, StoredCheckpoint } from './audit.repository';
import { CheckpointView, rawPublicKey, signCheckpoint } from './checkpoint';
import { MerkleFrontier } from './merkle';
import { resolveSigningKey } from './signing-key';
import { SignedStatement, StatementSigner } from './statement';

/**
 * Signs checkpoints of the audit log: every AUDIT_CHECKPOINT_INTERVAL_SECONDS when new events
 * exist, and once more on shutdown. Each checkpoint resumes the Merkle frontier stored with
 * the previous one, so only new events are hashed.
 */
@Injectable()
export class CheckpointsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly signingKey: KeyObject | undefined;
  private readonly signer: StatementSigner | undefined;
  /** The latest checkpoint as receipts cite it, read at most once a second. */
  private latestForReceipts: { at: number; value: Promise<StoredCheckpoint | null> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditRepository,
    private readonly logger: JsonLogger,
    private readonly clock: Clock,
  ) {
    this.signingKey = resolveSigningKey(config);
    this.signer = this.signingKey
      ? new StatementSigner(this.signingKey, config.audit.origin)
      : undefined;
  }

  /** Signs a statement (an eligibility receipt) with the log's key; undefined without one. */
  signStatement(content: unknown): SignedStatement | undefined {
    return this.signer?.sign(content);
  }

  /**
   * The latest signed checkpoint for receipts to cite, cached for a second: a receipt cites
   * a checkpoint that was the latest within the last second (and this instance forgets it as
   * soon as it signs a newer one), without a query per answer.
   */
  latestCited(): Promise<StoredCheckpoint | null> {
    const now = this.clock.now().getTime();
    if (!this.latestForReceipts || now - this.latestForReceipts.at > 1000) {
      this.latestForReceipts = { at: now, value: this.latest() };
      this.latestForReceipts.value.catch(() => (this.latestForReceipts = undefined));
    }
    return this.latestForReceipts.value;
  }

  /** The trusted public key (base64 raw Ed25519), when this instance signs. */
  get publicKey(): string | undefined {
    return this.signingKey
      ? rawPublicKey(createPublicKey(this.signingKey)).toString('base64')
      : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.signingKey) {
      this.logger.emit('warn', 'audit checkpoints are off: set AUDIT_SIGNING_KEY to sign them');
      return;
    }
    const seconds = this.config.audit.checkpointIntervalSeconds;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.checkpointSafely(), seconds * 1000);
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.signingKey) await this.checkpointSafely();
  }

  latest(): Promise<StoredCheckpoint | null> {
    return this.audit.latestCheckpoint();
  }

  /** Signs a checkpoint of the whole log now, unless the latest one already covers it. */
  checkpoint(): Promise<CheckpointView | null> {
    // One at a time per instance; several instances may race, which insertCheckpoint absorbs.
    const next = this.running.then(() => this.createCheckpoint());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async checkpointSafely(): Promise<void> {
    try {
      await this.checkpoint();
    } catch (error) {
      this.logger.emit('error', 'audit checkpoint failed', { error: String(error) });
    }
  }

  private async createCheckpoint(): Promise<CheckpointView | null> {
    if (!this.signingKey) return null;
    const head = await this.audit.headSeq();
    const latest = await this.audit.latestCheckpoint();
    if (head === 0 || (latest && latest.treeSize >= head)) return latest;
    const frontier = latest ? MerkleFrontier.fromJSON(latest.frontier) : new MerkleFrontier();
    for await (const hashes of this.audit.hashes(frontier.size, head)) {
      for (const hash of hashes) frontier.append(hash);
    }
    if (frontier.size !== head)
      throw new Error(`audit log has ${frontier.size} events, expected ${head}`);
    const signed = signCheckpoint(
      this.signingKey,
      this.config.audit.origin,
      head,
      frontier.root(),
      this.clock.now(),
    );
    await this.audit.insertCheckpoint({ ...signed, frontier: frontier.toJSON() });
    this.latestForReceipts = undefined;
    this.logger.emit('info', 'signed audit checkpoint', { treeSize: head, keyId: signed.keyId });
    return signed;
  }
}
