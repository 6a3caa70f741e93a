CREATE TABLE `identities` (
	`provider_id` text NOT NULL,
	`subject` text NOT NULL,
	`user_id` text NOT NULL,
	`email` text,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`provider_id`, `subject`)
);
--> statement-breakpoint
CREATE INDEX `identities_user_idx` ON `identities` (`user_id`);--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`issuer` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`signup` integer NOT NULL,
	`link_by_email` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `upstream_logins` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`browser` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`request` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `upstream_logins_expires_idx` ON `upstream_logins` (`expires_at`);--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `provider` text;--> statement-breakpoint
ALTER TABLE `browser_sessions` ADD `provider` text;--> statement-breakpoint
ALTER TABLE `families` ADD `provider` text;