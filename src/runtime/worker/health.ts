// GET /healthz on Workers, for the administrator after `wrangler deploy`: 200 only when
// the settings are complete (checked before this), D1 answers, and every migration of
// db/migrations was applied (`wrangler d1 migrations apply` records each in d1_migrations).
// Otherwise 503 with what to do, in Chinese.
import journal from '../../../db/migrations/meta/_journal.json';
import type { D1Binding } from './config';

/** The newest migration file, as wrangler records it. */
export const LATEST_MIGRATION = `${journal.entries[journal.entries.length - 1].tag}.sql`;

const APPLY = 'npx wrangler d1 migrations apply jixiao --remote';

export async function health(db: D1Binding): Promise<Response> {
  let last: string | undefined;
  try {
    last = (await db.prepare('SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1').first<{ name: string }>())?.name;
  } catch (error) {
    const reason = (error as Error).message;
    const advice = /no such table/i.test(reason) ? `数据库还没有建表，请运行 ${APPLY}` : `无法访问 D1 数据库（${reason}），请检查 wrangler.toml 里 [[d1_databases]] 的 database_id`;
    return Response.json({ ok: false, error: advice }, { status: 503 });
  }
  if (last !== LATEST_MIGRATION) {
    return Response.json({ ok: false, error: `数据库表不是最新的（已应用到 ${last ?? '无'}，应为 ${LATEST_MIGRATION}），请运行 ${APPLY}` }, { status: 503 });
  }
  return Response.json({ ok: true });
}
