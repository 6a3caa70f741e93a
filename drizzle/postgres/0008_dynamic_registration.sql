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
ALTER TABLE "clients" ADD COLUMN "registered_by" text DEFAULT 'operator' NOT NULL;