CREATE TABLE "token_revocations" (
	"jti" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"revoked_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "logo_uri" text;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "email_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "given_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "family_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "picture" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "updated_at" bigint;--> statement-breakpoint
CREATE INDEX "token_revocations_revoked_at_idx" ON "token_revocations" USING btree ("revoked_at");--> statement-breakpoint
CREATE INDEX "token_revocations_expires_idx" ON "token_revocations" USING btree ("expires_at");