ALTER TABLE "authorization_codes" ADD COLUMN "browser_session_id" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "browser_session_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_set" boolean DEFAULT true NOT NULL;