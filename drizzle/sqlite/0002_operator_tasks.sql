ALTER TABLE `audit_events` ADD `request_id` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `previous_secret_hash` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `previous_secret_expires_at` integer;