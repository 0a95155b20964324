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
import { AuditTreeRepository } from './audit-tree.repository';
import { CheckpointView, checkpointProblems, rawPublicKey, signCheckpoint } from './checkpoint';
import { CheckpointFile } from './checkpoint-file';
import { MerkleFrontier } from './merkle';
import { verifyConsistency, verifyInclusion } from './merkle-proofs';
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
  private readonly file: CheckpointFile | undefined;
  /** The last checkpoint this instance signed or adopted (mirrors the file). */
  private lastSigned: CheckpointView | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditRepository,
    private readonly tree: AuditTreeRepository,
    private readonly logger: JsonLogger,
    private readonly clock: Clock,
  ) {
    this.signingKey = resolveSigningKey(config);
    this.signer = this.signingKey
      ? new StatementSigner(this.signingKey, config.audit.origin)
      : undefined;
    this.file = config.audit.checkpointFile
      ? new CheckpointFile(config.audit.checkpointFile)
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
    } else if (!this.file) {
      this.logger.emit(
        'warn',
        'AUDIT_CHECKPOINT_FILE is not set: the last signed checkpoint is kept only in the database, so a rewritten history is caught only against checkpoints published elsewhere',
      );
    } else {
      // The check at start: reported at once, not at the first signing a minute later.
      void this.consistencyProblems()
        .then((problems) => this.reportRefusal(problems))
        .catch((error: unknown) =>
          this.logger.emit('error', 'audit checkpoint check failed', { error: String(error) }),
        );
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

  /**
   * Signs a checkpoint of the whole log now, unless the latest one already covers it. Keeps
   * the tree index up to date too (also without a signing key, for proofs). Throws
   * CheckpointRefusedError when the log is not a consistent extension of the last
   * checkpoint this service signed.
   */
  checkpoint(): Promise<CheckpointView | null> {
    // One at a time per instance; several instances may race, which insertCheckpoint absorbs.
    const next = this.running.then(() => this.createCheckpoint());
    this.running = next.catch(() => undefined);
    return next;
  }

  /**
   * Why the log is not (or no longer) a consistent extension of the last checkpoint this
   * service signed, as kept in its file; empty when it is, or when there is nothing to check.
   */
  async consistencyProblems(): Promise<string[]> {
    if (!this.signingKey) return [];
    const trusted = await this.trustedCheckpoint();
    if (trusted.problems.length > 0 || !trusted.checkpoint) return trusted.problems;
    return this.logAgainst(trusted.checkpoint, await this.audit.headSeq());
  }

  private async checkpointSafely(): Promise<void> {
    try {
      await this.checkpoint();
    } catch (error) {
      if (error instanceof CheckpointRefusedError) return; // logged where refused
      this.logger.emit('error', 'audit checkpoint failed', { error: String(error) });
    }
  }

  private reportRefusal(problems: string[]): void {
    if (problems.length === 0) return;
    this.logger.emit(
      'error',
      'refusing to sign audit checkpoints: the log is not a consistent extension of the last checkpoint this service signed',
      { problems, checkpointFile: this.file?.path },
    );
  }

  /**
   * The last checkpoint this service signed: from its file (or memory), unless the database
   * holds a later one signed with the same key (another instance) that consistently extends
   * it. With no file yet, the database's latest is trusted on first use.
   */
  private async trustedCheckpoint(): Promise<{
    checkpoint: CheckpointView | undefined;
    problems: string[];
  }> {
    const publicKey = this.publicKey!;
    let kept: CheckpointView | undefined = this.lastSigned;
    if (!kept && this.file) {
      try {
        kept = this.file.read();
      } catch (error) {
        return { checkpoint: undefined, problems: [(error as Error).message] };
      }
    }
    const stored = await this.audit.latestCheckpoint();
    if (kept) {
      const own = checkpointProblems(kept, publicKey);
      if (own.length > 0)
        return {
          checkpoint: undefined,
          problems: own.map((p) => `the checkpoint file ${this.file?.path ?? ''}: ${p}`),
        };
    }
    if (!kept) {
      if (!stored) return { checkpoint: undefined, problems: [] };
      const own = checkpointProblems(stored, publicKey);
      return own.length > 0
        ? {
            checkpoint: undefined,
            problems: own.map((p) => `the latest checkpoint in the database: ${p}`),
          }
        : { checkpoint: stored, problems: [] };
    }
    if (stored && stored.treeSize > kept.treeSize) {
      const own = checkpointProblems(stored, publicKey);
      const proof =
        own.length > 0 ? [] : await this.tree.consistencyProof(kept.treeSize, stored.treeSize);
      if (
        own.length === 0 &&
        verifyConsistency(
          kept.treeSize,
          stored.treeSize,
          proof,
          Buffer.from(kept.rootHash, 'hex'),
          Buffer.from(stored.rootHash, 'hex'),
        )
      )
        return { checkpoint: stored, problems: [] };
      return {
        checkpoint: undefined,
        problems: [
          `the database's latest checkpoint (${stored.treeSize} events) does not extend the last one this service signed (${kept.treeSize} events)${own.length > 0 ? `: ${own.join('; ')}` : ''}`,
        ],
      };
    }
    const same = await this.audit.checkpointAt(kept.treeSize);
    if (same && same.rootHash !== kept.rootHash)
      return {
        checkpoint: undefined,
        problems: [
          `the database holds another root for the checkpoint of ${kept.treeSize} events than the one this service signed: the log was forked`,
        ],
      };
    return { checkpoint: kept, problems: [] };
  }

  /**
   * Whether the stored log still extends `trusted`: it is not shorter, its event at the
   * checkpoint's size is provably the one signed (an inclusion proof against the signed
   * root; rewriting and re-hashing any earlier event changes it), and the next event links to
   * it. Cheap (a few queries), so it runs before every signing.
   */
  private async logAgainst(trusted: CheckpointView, head: number): Promise<string[]> {
    const size = trusted.treeSize;
    if (head < size)
      return [
        `the log holds ${head} events but this service signed a checkpoint of ${size}: events were removed`,
      ];
    let leaf: string | undefined;
    let proof: Buffer[];
    try {
      leaf = await this.tree.leafHash(size);
      proof = await this.tree.inclusionProof(size, size);
    } catch (error) {
      return [
        `the log cannot be checked against the checkpoint of ${size} events this service signed: ${(error as Error).message}`,
      ];
    }
    if (
      !leaf ||
      !verifyInclusion(
        size - 1,
        size,
        Buffer.from(leaf, 'hex'),
        proof,
        Buffer.from(trusted.rootHash, 'hex'),
      )
    )
      return [
        `the log no longer matches the checkpoint of ${size} events this service signed (root ${trusted.rootHash}): its history was rewritten`,
      ];
    if (head > size && (await this.audit.prevHashOf(size + 1)) !== leaf)
      return [`event ${size + 1} does not link to event ${size}: the chain is broken`];
    return [];
  }

  private async createCheckpoint(): Promise<CheckpointView | null> {
    const head = await this.audit.headSeq();
    await this.tree.extend(head);
    if (!this.signingKey) return null;
    const trusted = await this.trustedCheckpoint();
    const problems =
      trusted.problems.length > 0 || !trusted.checkpoint
        ? trusted.problems
        : await this.logAgainst(trusted.checkpoint, head);
    if (problems.length > 0) {
      this.reportRefusal(problems);
      throw new CheckpointRefusedError(problems);
    }
    const base = trusted.checkpoint;
    if (base && !(await this.audit.checkpointAt(base.treeSize))) {
      // Deleted from the database but kept in the file, and the log still matches: put it back.
      this.logger.emit('warn', 'restoring a deleted audit checkpoint from the checkpoint file', {
        treeSize: base.treeSize,
      });
      const frontier = await this.tree.frontierAt(base.treeSize);
      await this.audit.insertCheckpoint({ ...base, frontier: frontier.toJSON() });
    }
    if (head === 0 || (base && base.treeSize >= head)) {
      if (base) this.keep(base);
      return base ?? null;
    }
    const frontier = base ? await this.tree.frontierAt(base.treeSize) : new MerkleFrontier();
    if (base && frontier.root() !== base.rootHash)
      throw new Error('the audit tree index disagrees with the last signed checkpoint');
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
    this.keep(signed);
    this.latestForReceipts = undefined;
    this.logger.emit('info', 'signed audit checkpoint', { treeSize: head, keyId: signed.keyId });
    return signed;
  }

  /** Remembers the last signed checkpoint, in memory and in the file. */
  private keep(checkpoint: CheckpointView): void {
    if (this.lastSigned?.treeSize === checkpoint.treeSize) return;
    this.lastSigned = checkpoint;
    this.file?.write(checkpoint);
  }
}

/** The service would not sign: the log does not extend the last checkpoint it signed. */
export class CheckpointRefusedError extends Error {
  constructor(readonly problems: string[]) {
    super(`refusing to sign an audit checkpoint: ${problems.join('; ')}`);
  }
}
