DROP INDEX "families_revoked_at_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "previous_secret_expires_at" bigint;--> statement-breakpoint
CREATE INDEX "families_revoked_at_idx" ON "families" USING btree ("revoked_at","id");