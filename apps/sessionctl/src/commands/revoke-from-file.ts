import type { SessionClient } from '#libs/session-client';
import { SessionServiceError, type ClientErrorCode } from '#libs/session-client';
import type { CliIo } from '../cli-io.js';
import { OperationFailed } from '../exit-codes.js';
import { renderTable, type Output } from '../output.js';

/** Errors that would fail every further user the same way: stop instead of hammering on. */
const FATAL: ReadonlySet<ClientErrorCode> = new Set(['UNAVAILABLE', 'TIMEOUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'UNKNOWN_SHOP']);

export interface BulkRevokeSummary {
  users: number;
  revoked: number;
  destroyed: number;
  byShop: Record<string, number>;
  failed: { userId: string; code: string; message: string }[];
}

/**
 * Revokes each user in turn, with a progress line per user on stderr. A revoke is idempotent
 * (an already revoked user reports 0), so re-running the same file after an interruption is safe.
 */
export async function revokeFromFile(
  client: SessionClient,
  io: CliIo,
  out: Output,
  request: { shopId: string; allShops: boolean; userIds: string[] },
): Promise<void> {
  const { userIds } = request;
  const summary: BulkRevokeSummary = { users: userIds.length, revoked: 0, destroyed: 0, byShop: {}, failed: [] };
  const width = String(userIds.length).length;
  for (const [index, userId] of userIds.entries()) {
    const step = `[${String(index + 1).padStart(width)}/${userIds.length}] ${userId}`;
    try {
      const res = await client.revokeSessions(request.shopId, { userId, ...(request.allShops ? { allShops: true } : {}) });
      summary.revoked++;
      summary.destroyed += res.data.destroyed;
      for (const [shop, count] of Object.entries(res.data.byShop)) summary.byShop[shop] = (summary.byShop[shop] ?? 0) + count;
      io.stderr.write(`${step}: destroyed ${res.data.destroyed}\n`);
    } catch (e) {
      const error = SessionServiceError.from(e);
      if (FATAL.has(error.code)) {
        io.stderr.write(
          `${step}: stopped (${error.code}); ${summary.revoked} of ${userIds.length} users done, re-running the file is safe\n`,
        );
        throw error;
      }
      summary.failed.push({ userId, code: error.code, message: error.message });
      io.stderr.write(`${step}: FAILED ${error.code}: ${error.message}\n`);
    }
  }
  out.result(summary, () => summaryText(summary));
  if (summary.failed.length)
    throw new OperationFailed(`${summary.failed.length} of ${summary.users} users failed; re-running the file is safe`);
}

function summaryText(s: BulkRevokeSummary): string {
  const rows = Object.entries(s.byShop).map(([shop, destroyed]) => ({ shop, destroyed }));
  return (
    `revoked ${s.revoked} of ${s.users} users, destroyed ${s.destroyed} session${s.destroyed === 1 ? '' : 's'}` +
    (s.failed.length ? `, ${s.failed.length} failed: ${s.failed.map((f) => f.userId).join(', ')}` : '') +
    '\n' +
    renderTable(
      [
        { key: 'shop', header: 'SHOP' },
        { key: 'destroyed', header: 'DESTROYED' },
      ],
      rows,
    )
  );
}
