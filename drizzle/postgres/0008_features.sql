CREATE TABLE "apis" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"name" text,
	"scopes" text NOT NULL,
	"token_ttl" integer,
	"created_at" bigint NOT NULL,
	CONSTRAINT "apis_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
CREATE TABLE "client_assertion_jtis" (
	"client_id" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "client_assertion_jtis_client_id_jti_pk" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
CREATE TABLE "dpop_proofs" (
	"hash" text PRIMARY KEY NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "factors" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"secret" text,
	"hash" text,
	"created_at" bigint NOT NULL,
	"confirmed_at" bigint,
	"last_used_step" integer,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "mail_links" (
	"hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"purpose" text NOT NULL,
	"address" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "mails" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"address" text,
	"locale" text NOT NULL,
	"created_at" bigint NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" bigint,
	"done_at" bigint,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "par_requests" (
	"hash" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"params" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "passkeys" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" integer NOT NULL,
	"transports" text DEFAULT '[]' NOT NULL,
	"device_type" text NOT NULL,
	"backed_up" boolean NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "registration_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint,
	"max_uses" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "registration_tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"name" text PRIMARY KEY NOT NULL,
	"grants" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "user_roles_user_id_role_pk" PRIMARY KEY("user_id","role")
);
--> statement-breakpoint
CREATE TABLE "webauthn_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"user_id" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "dpop_jkt" text;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "browser_session_id" text;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "grants" text;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "audience" text;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "amr" text;--> statement-breakpoint
ALTER TABLE "browser_sessions" ADD COLUMN "amr" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "require_mfa" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "dpop_bound_access_tokens" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "jwks" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "jwks_uri" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "require_par" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "profile" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "registered_by" text DEFAULT 'operator' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "apis" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "default_api" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "dpop_jkt" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "browser_session_id" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "grants" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "amr" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "allow_token_exchange" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_set" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "client_assertion_jtis_expires_idx" ON "client_assertion_jtis" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "dpop_proofs_expires_idx" ON "dpop_proofs" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "factors_user_idx" ON "factors" USING btree ("user_id","kind");--> statement-breakpoint
CREATE INDEX "mail_links_expires_idx" ON "mail_links" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "mails_due_idx" ON "mails" USING btree ("done_at","next_attempt_at");--> statement-breakpoint
CREATE INDEX "par_requests_expires_idx" ON "par_requests" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "passkeys_user_idx" ON "passkeys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_roles_role_idx" ON "user_roles" USING btree ("role");--> statement-breakpoint
CREATE INDEX "webauthn_challenges_expires_idx" ON "webauthn_challenges" USING btree ("expires_at");