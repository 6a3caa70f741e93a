ALTER TABLE `authorization_codes` ADD `browser_session_id` text;--> statement-breakpoint
ALTER TABLE `families` ADD `browser_session_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `password_set` integer DEFAULT true NOT NULL;