// The playground clock: real time plus an offset that only grows, so reminders can
// be seen without waiting days. A target comes as Beijing wall time from the page.
const BEIJING_OFFSET_MS = 8 * 3600_000;

export type ClockTarget = { ok: true; at: number } | { ok: false; error: string };

/** `{ to: 'YYYY-MM-DDTHH:mm' }` (Beijing time) or `{ days: n }` / `{ hours: n }` forward. */
export function parseClockTarget(body: Record<string, unknown>, now: number): ClockTarget {
  let at: number;
  if (typeof body.to === 'string' && body.to) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(body.to.trim());
    if (!m) return { ok: false, error: '时间格式应为 2025-05-24 09:00。' };
    at = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) - BEIJING_OFFSET_MS;
    if (Number.isNaN(at)) return { ok: false, error: '这个时间不存在。' };
  } else if (typeof body.days === 'number' || typeof body.hours === 'number') {
    const ms = (Number(body.days) || 0) * 86400_000 + (Number(body.hours) || 0) * 3600_000;
    if (!Number.isFinite(ms) || ms <= 0 || ms > 400 * 86400_000) return { ok: false, error: '只能往后拨，最多 400 天。' };
    at = now + ms;
  } else return { ok: false, error: '请选择要拨到的时间。' };
  if (at <= now) return { ok: false, error: '模拟时钟只能往后拨（提醒按时间顺序发出，往回拨会乱）。' };
  return { ok: true, at };
}
