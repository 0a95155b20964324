import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckpointView } from './checkpoint';

/**
 * The last checkpoint this instance signed, kept outside the database (docs/domain.md
 * section 9): whoever rewrites the database cannot rewrite this file too unless they also
 * control the service's own storage.
 */
export class CheckpointFile {
  constructor(readonly path: string) {}

  /** The stored checkpoint; undefined when none was signed yet. Throws when unreadable. */
  read(): CheckpointView | undefined {
    if (!existsSync(this.path)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`the checkpoint file ${this.path} is not readable JSON: ${String(error)}`, {
        cause: error,
      });
    }
    const c = parsed as Partial<CheckpointView> | null;
    if (
      !c ||
      !Number.isSafeInteger(c.treeSize) ||
      typeof c.rootHash !== 'string' ||
      typeof c.body !== 'string' ||
      typeof c.keyId !== 'string' ||
      typeof c.publicKey !== 'string' ||
      typeof c.signature !== 'string' ||
      typeof c.signedAt !== 'string'
    ) {
      throw new Error(`the checkpoint file ${this.path} does not hold a checkpoint`);
    }
    return c as CheckpointView;
  }

  /** Replaces the file atomically (write aside, then rename), so a crash leaves one or the other. */
  write(checkpoint: CheckpointView): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const aside = `${this.path}.${process.pid}.tmp`;
    const { treeSize, rootHash, signedAt, keyId, publicKey, signature, body } = checkpoint;
    writeFileSync(
      aside,
      `${JSON.stringify({ treeSize, rootHash, signedAt, keyId, publicKey, signature, body }, null, 2)}\n`,
      { mode: 0o600 },
    );
    renameSync(aside, this.path);
  }
}
