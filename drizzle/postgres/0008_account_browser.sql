ALTER TABLE "authorization_codes" ADD COLUMN "browser_session_id" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "browser_session_id" text;