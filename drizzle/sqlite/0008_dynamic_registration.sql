CREATE TABLE `registration_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registration_tokens_hash_unique` ON `registration_tokens` (`hash`);--> statement-breakpoint
ALTER TABLE `clients` ADD `registered_by` text DEFAULT 'operator' NOT NULL;