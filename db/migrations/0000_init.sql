CREATE TABLE `answer_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`path` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`by_user` text NOT NULL,
	`by_name` text NOT NULL,
	`at` integer NOT NULL,
	`message_id` text,
	`via` text NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `answer_history_eval_path_idx` ON `answer_history` (`evaluation_id`,`path`);--> statement-breakpoint
CREATE TABLE `answers` (
	`evaluation_id` integer NOT NULL,
	`path` text NOT NULL,
	`value` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_by_name` text NOT NULL,
	`updated_at` integer NOT NULL,
	`message_id` text,
	PRIMARY KEY(`evaluation_id`, `path`),
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `assignments` (
	`evaluation_id` integer NOT NULL,
	`section_id` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	PRIMARY KEY(`evaluation_id`, `section_id`),
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `default_deadlines` (
	`year` integer NOT NULL,
	`template_id` text DEFAULT '' NOT NULL,
	`deadline` text NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`year`, `template_id`)
);
--> statement-breakpoint
CREATE TABLE `dialog_states` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`evaluation_id` integer,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`answers_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `documents_evaluation_idx` ON `documents` (`evaluation_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`template_id` text NOT NULL,
	`template_version` text NOT NULL,
	`year` integer NOT NULL,
	`project_name` text NOT NULL,
	`chat_id` text NOT NULL,
	`tenant_key` text,
	`status` text DEFAULT 'filling' NOT NULL,
	`deadline` text,
	`reminders_paused` integer DEFAULT 0 NOT NULL,
	`reminder_days` text,
	`reminder_time` text,
	`answers_version` integer DEFAULT 0 NOT NULL,
	`documents_version` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `evaluations_chat_id_idx` ON `evaluations` (`chat_id`);--> statement-breakpoint
CREATE TABLE `handled_events` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `members` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`reply_to` text,
	`uuid` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_uuid_unique` ON `outbox` (`uuid`);--> statement-breakpoint
CREATE INDEX `outbox_status_next_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`category` text NOT NULL,
	`unit` text,
	`description` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reminders_sent` (
	`key` text PRIMARY KEY NOT NULL,
	`evaluation_id` integer NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `role_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`role` text,
	`by_user` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `roles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`user_name` text NOT NULL,
	`granted_by` text NOT NULL,
	`granted_at` integer NOT NULL
);
