ALTER TABLE `authorization_codes` ADD `browser_session_id` text;--> statement-breakpoint
ALTER TABLE `families` ADD `browser_session_id` text;