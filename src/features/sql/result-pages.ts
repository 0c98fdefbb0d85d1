import { AppError } from '../../errors.ts'
import { createPageCursors } from './page-cursor.ts'
import { createResultSnapshots, type ResultSnapshot, type ResultSnapshotOptions } from './result-snapshots.ts'
import type { SqlResult } from './sql-types.ts'

export interface ResultPages {
  /** Cuts the first page from a whole (capped) result; keeps the rest as a snapshot when there is more. */
  firstPage(snapshot: ResultSnapshot, first: number): SqlResult
  /** A later page from the snapshot a cursor points at; BAD_INPUT when invalid, expired or not this query's. */
  nextPage(after: string, scope: string, identity: string, first: number): SqlResult
  stop(): void
}

/**
 * Pagination without re-execution: the statement runs once (capped at maxResultRows) and later pages are
 * slices of that snapshot, so page 40 costs no more than page 2 and every page comes from one consistent
 * read. Snapshots are per process: behind a load balancer, paging needs sticky sessions (an expired or
 * foreign cursor is a clear BAD_INPUT, never a wrong page).
 */
export function createResultPages(options: { snapshots?: ResultSnapshotOptions; cursorSecret?: string } = {}): ResultPages {
  const snapshots = createResultSnapshots(options.snapshots)
  const cursors = createPageCursors(options.cursorSecret ? { secret: options.cursorSecret } : {})

  function page(snapshot: ResultSnapshot, id: string | null, offset: number, first: number, durationMs: number): SqlResult {
    const end = offset + first
    const hasNextPage = end < snapshot.rows.length && id !== null
    return {
      columns: snapshot.columns, rows: snapshot.rows.slice(offset, end), rowCount: snapshot.rows.length, durationMs,
      pageInfo: { hasNextPage, endCursor: hasNextPage ? cursors.encode({ snapshot: id!, offset: end }) : null },
      fingerprint: snapshot.fingerprint, datasets: snapshot.datasets, cached: false, cacheLevel: null,
    }
  }

  return {
    firstPage(snapshot, first) {
      const id = snapshot.rows.length > first ? snapshots.put(snapshot) : null
      return page(snapshot, id, 0, first, snapshot.durationMs)
    },
    nextPage(after, scope, identity, first) {
      const started = performance.now()
      const position = cursors.decode(after)
      const snapshot = snapshots.get(position.snapshot)
      if (!snapshot) throw new AppError('BAD_INPUT', 'The cursor has expired: run the query again without `after`')
      if (snapshot.scope !== scope || snapshot.identity !== identity) throw new AppError('BAD_INPUT', 'The cursor belongs to a different query')
      return page(snapshot, position.snapshot, position.offset, first, performance.now() - started)
    },
    stop: () => snapshots.stop(),
  }
}
