CREATE TABLE `token_revocations` (
	`jti` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`revoked_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `token_revocations_revoked_at_idx` ON `token_revocations` (`revoked_at`);--> statement-breakpoint
CREATE INDEX `token_revocations_expires_idx` ON `token_revocations` (`expires_at`);--> statement-breakpoint
ALTER TABLE `clients` ADD `name` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `logo_uri` text;--> statement-breakpoint
ALTER TABLE `identities` ADD `email_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `name` text;--> statement-breakpoint
ALTER TABLE `users` ADD `given_name` text;--> statement-breakpoint
ALTER TABLE `users` ADD `family_name` text;--> statement-breakpoint
ALTER TABLE `users` ADD `picture` text;--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `users` ADD `updated_at` integer;