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
CREATE TABLE `client_assertion_jtis` (
	`client_id` text NOT NULL,
	`jti` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`client_id`, `jti`)
);
--> statement-breakpoint
CREATE INDEX `client_assertion_jtis_expires_idx` ON `client_assertion_jtis` (`expires_at`);--> statement-breakpoint
CREATE TABLE `dpop_proofs` (
	`hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dpop_proofs_expires_idx` ON `dpop_proofs` (`expires_at`);--> statement-breakpoint
CREATE TABLE `factors` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`secret` text,
	`hash` text,
	`created_at` integer NOT NULL,
	`confirmed_at` integer,
	`last_used_step` integer,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `factors_user_idx` ON `factors` (`user_id`,`kind`);--> statement-breakpoint
CREATE TABLE `mail_links` (
	`hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`address` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `mail_links_expires_idx` ON `mail_links` (`expires_at`);--> statement-breakpoint
CREATE TABLE `mails` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`address` text,
	`locale` text NOT NULL,
	`created_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`done_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `mails_due_idx` ON `mails` (`done_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `par_requests` (
	`hash` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`params` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `par_requests_expires_idx` ON `par_requests` (`expires_at`);--> statement-breakpoint
CREATE TABLE `passkeys` (
	`credential_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`public_key` text NOT NULL,
	`counter` integer NOT NULL,
	`transports` text DEFAULT '[]' NOT NULL,
	`device_type` text NOT NULL,
	`backed_up` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE INDEX `passkeys_user_idx` ON `passkeys` (`user_id`);--> statement-breakpoint
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
CREATE TABLE `webauthn_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `webauthn_challenges_expires_idx` ON `webauthn_challenges` (`expires_at`);--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `dpop_jkt` text;--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `browser_session_id` text;--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `grants` text;--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `audience` text;--> statement-breakpoint
ALTER TABLE `authorization_codes` ADD `amr` text;--> statement-breakpoint
ALTER TABLE `browser_sessions` ADD `amr` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `require_mfa` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `dpop_bound_access_tokens` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `jwks` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `jwks_uri` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `require_par` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `profile` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `registered_by` text DEFAULT 'operator' NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `apis` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `default_api` text;--> statement-breakpoint
ALTER TABLE `families` ADD `dpop_jkt` text;--> statement-breakpoint
ALTER TABLE `families` ADD `browser_session_id` text;--> statement-breakpoint
ALTER TABLE `families` ADD `grants` text;--> statement-breakpoint
ALTER TABLE `families` ADD `amr` text;--> statement-breakpoint
ALTER TABLE `providers` ADD `allow_token_exchange` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `password_set` integer DEFAULT true NOT NULL;