CREATE TABLE `rect_attach_waits` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`item_id` integer,
	`file_key` text,
	`file_name` text,
	`file_size` integer,
	`file_type` text,
	`file_message_id` text,
	`until` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`),
	FOREIGN KEY (`item_id`) REFERENCES `rect_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `rect_history` ADD `file_key` text;--> statement-breakpoint
ALTER TABLE `rect_history` ADD `file_name` text;--> statement-breakpoint
ALTER TABLE `rect_history` ADD `file_size` integer;--> statement-breakpoint
ALTER TABLE `rect_history` ADD `file_type` text;--> statement-breakpoint
ALTER TABLE `rect_history` ADD `file_message_id` text;