import { Injectable } from '@nestjs/common';
import { signedNote } from '../audit/checkpoint';
import { CheckpointsService } from '../audit/checkpoints.service';
import type { PublishedCheckpoint } from './views/transparency';

/** What the transparency page reads: the latest checkpoint and the key that signs them. */
@Injectable()
export class PublishedCheckpoints {
  constructor(private readonly checkpoints: CheckpointsService) {}

  async latest(): Promise<PublishedCheckpoint | null> {
    const stored = await this.checkpoints.latest();
    if (!stored) return null;
    return {
      origin: stored.body.slice(0, stored.body.indexOf('\n')),
      treeSize: stored.treeSize,
      rootHash: stored.rootHash,
      signedAt: stored.signedAt,
      keyId: stored.keyId,
      note: signedNote(stored),
    };
  }

  /**
   * The key to pin: this instance's own signing key, which is what the service checks its
   * log against; without one (it signs nothing), the key of the latest checkpoint, if any.
   */
  async publicKey(): Promise<string | undefined> {
    return this.checkpoints.publicKey ?? (await this.checkpoints.latest())?.publicKey;
  }
}
