// Orders pushes of one conversation that come from different requests (or nodes) and so may arrive out of order.
import type { Id } from '../types';

/**
 * The latest revision heard of each conversation, from `conversationUpdated` and `conversationRemoved` (the server's
 * `revision`, migration 1131: it grows with every change to the conversation's row). A summary whose revision is
 * smaller than one already heard was read before it: say a read's summary taken just before the conversation was
 * handed to a colleague, arriving after the removal. Equal revisions are admitted (reads and labels do not move it).
 */
export class ConversationRevisions {
  private readonly latest = new Map<string, number>();
  /** The highest audience version a `resync` named (a change to who may see what); pushes read before it are stale. */
  private audienceFloor = -1;

  /**
   * True when a summary of this revision is not older than what was heard; it becomes the latest heard. A summary read at
   * an audience version older than the last `resync` named was read before the change to who may see what that the
   * resync announced (a membership change does not move a conversation's revision): the re-read the resync asked for
   * covers it, so it is not admitted either.
   */
  admit(id: Id, revision: number | undefined, audienceVersion?: number | null): boolean {
    if (audienceVersion != null && audienceVersion < this.audienceFloor) return false;
    if (revision === undefined) return true; // a server without revisions: nothing to order by
    const key = String(id);
    const heard = this.latest.get(key);
    if (heard !== undefined && revision < heard) return false;
    this.latest.set(key, revision);
    return true;
  }

  /** A `resync` after a change to who may see what, naming the audience version it made (none: nothing to order by). */
  resynced(audienceVersion: number | null | undefined) {
    if (audienceVersion != null) this.audienceFloor = Math.max(this.audienceFloor, audienceVersion);
  }

  /** A removal at this revision: summaries read before it are stale from now on. */
  removed(id: Id, revision: number | undefined) {
    if (revision === undefined) return;
    const key = String(id);
    this.latest.set(key, Math.max(this.latest.get(key) ?? revision, revision));
  }
}

/** Of two copies of one conversation, the one to keep: the later revision; on a tie the newer arrival (`next`). */
export function laterCopy<T extends { revision?: number }>(held: T, next: T): T {
  return (held.revision ?? 0) > (next.revision ?? 0) ? held : next;
}
