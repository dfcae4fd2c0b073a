CREATE TABLE `inbox` (
	`key` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `inbox_pending_idx` ON `inbox` (`done_at`,`received_at`);