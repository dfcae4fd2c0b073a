CREATE TABLE `evaluation_facts` (
	`evaluation_id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`facts` text NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
