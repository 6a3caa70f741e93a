DROP INDEX `families_revoked_at_idx`;--> statement-breakpoint
CREATE INDEX `families_revoked_at_idx` ON `families` (`revoked_at`,`id`);--> statement-breakpoint
ALTER TABLE `audit_events` ADD `request_id` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `previous_secret_hash` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `previous_secret_expires_at` integer;