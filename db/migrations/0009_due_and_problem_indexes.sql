CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`priority`,`id`);--> statement-breakpoint
CREATE INDEX `problems_evaluation_idx` ON `problems` (`evaluation_id`);