ALTER TABLE `evaluations` ADD `passed_sections` text;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `warnings_confirmed` text;