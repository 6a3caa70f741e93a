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
ALTER TABLE "authorization_codes" ADD COLUMN "grants" text;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "audience" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "apis" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "default_api" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "grants" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "allow_token_exchange" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "user_roles_role_idx" ON "user_roles" USING btree ("role");