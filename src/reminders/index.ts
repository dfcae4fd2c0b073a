// Deadlines and reminders: what is due (pure), and queuing it (runReminders).
export { runReminders, previewReminders, loadReminderState, outboxChatId, reminderUuid } from './run';
export type { ReminderOptions, RunResult } from './run';
export { dueReminders, chatSlots, leaderSlots, mayBeDue, DEFAULT_DAYS, DEFAULT_TIME, LEADER_TIME, LOOKBACK_MS } from './schedule';
export type { Reminder, ReminderEvaluation, ReminderSettings, ReminderState, ReminderTarget } from './schedule';
export { newFactsCache, type FactsCache } from '../summary/load';
