CREATE TABLE "identities" (
	"provider_id" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text,
	"linked_at" bigint NOT NULL,
	CONSTRAINT "identities_provider_id_subject_pk" PRIMARY KEY("provider_id","subject")
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret" text NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"signup" boolean NOT NULL,
	"link_by_email" boolean NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upstream_logins" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"browser" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"request" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "browser_sessions" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "provider" text;--> statement-breakpoint
CREATE INDEX "identities_user_idx" ON "identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "upstream_logins_expires_idx" ON "upstream_logins" USING btree ("expires_at");