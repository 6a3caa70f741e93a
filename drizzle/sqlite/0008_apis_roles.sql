CREATE TABLE `apis` (
	`id` text PRIMARY KEY NOT NULL,
	`identifier` text NOT NULL,
	`name` text,
	`scopes` text NOT NULL,
	`token_ttl` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `apis_identifier_unique` ON `apis` (`identifier`);--> statement-breakpoint
CREATE TABLE `roles` (
	`name` text PRIMARY KEY NOT NULL,
	`grants` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_roles` (
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`user_id`, `role`)
);
--> statement-breakpoint
CREATE INDEX `user_roles_role_idx` ON `user_roles` (`role`);--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `grants` text;--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `audience` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `apis` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `default_api` text;--> statement-breakpoint
ALTER TABLE `families` ADD `grants` text;--> statement-breakpoint
ALTER TABLE `providers` ADD `allow_token_exchange` integer DEFAULT false NOT NULL;