CREATE TABLE "client_revocations" (
	"client_id" text NOT NULL,
	"revoked_at" bigint NOT NULL,
	CONSTRAINT "client_revocations_client_id_revoked_at_pk" PRIMARY KEY("client_id","revoked_at")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "disabled_at" bigint;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "tokens_revoked_at" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" bigint;--> statement-breakpoint
CREATE INDEX "client_revocations_revoked_at_idx" ON "client_revocations" USING btree ("revoked_at");--> statement-breakpoint
-- Stored instants move from epoch seconds to epoch milliseconds, so grace windows and ordering are exact.
UPDATE "users" SET "created_at" = "created_at" * 1000, "disabled_at" = "disabled_at" * 1000;--> statement-breakpoint
UPDATE "clients" SET "created_at" = "created_at" * 1000;--> statement-breakpoint
UPDATE "families" SET "created_at" = "created_at" * 1000, "expires_at" = "expires_at" * 1000, "last_used_at" = "last_used_at" * 1000, "revoked_at" = "revoked_at" * 1000;--> statement-breakpoint
UPDATE "refresh_tokens" SET "created_at" = "created_at" * 1000, "expires_at" = "expires_at" * 1000, "used_at" = "used_at" * 1000;--> statement-breakpoint
UPDATE "signing_keys" SET "created_at" = "created_at" * 1000, "activates_at" = "activates_at" * 1000;--> statement-breakpoint
UPDATE "audit_events" SET "at" = "at" * 1000;--> statement-breakpoint
UPDATE "rate_limits" SET "window_start" = "window_start" * 1000;
