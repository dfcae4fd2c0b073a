CREATE TABLE `rect_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`field` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`note` text,
	`by_user` text NOT NULL,
	`by_name` text NOT NULL,
	`at` integer NOT NULL,
	`message_id` text,
	`via` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `rect_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rect_history_item_idx` ON `rect_history` (`item_id`);--> statement-breakpoint
CREATE TABLE `rect_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`category` text NOT NULL,
	`category_label` text NOT NULL,
	`description` text NOT NULL,
	`measure` text DEFAULT '' NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`owner_id` text,
	`owner_name` text,
	`owner_told_id` text,
	`due_date` text,
	`status` text DEFAULT 'todo' NOT NULL,
	`status_note` text DEFAULT '' NOT NULL,
	`source_key` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rect_items_evaluation_seq_idx` ON `rect_items` (`evaluation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `rect_items_status_idx` ON `rect_items` (`status`);