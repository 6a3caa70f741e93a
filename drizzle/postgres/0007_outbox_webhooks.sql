CREATE TABLE "outbox" (
	"seq" integer NOT NULL,
	"at" bigint NOT NULL,
	"type" text NOT NULL,
	"event" text NOT NULL,
	CONSTRAINT "outbox_seq_pk" PRIMARY KEY("seq")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"message_id" text NOT NULL,
	"type" text NOT NULL,
	"attempt" integer NOT NULL,
	"at" bigint NOT NULL,
	"status" integer,
	"ok" boolean NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"events" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" bigint NOT NULL,
	"disabled_at" bigint,
	"position" integer NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"failing_since" bigint,
	"next_attempt_at" bigint NOT NULL,
	"lease_owner" text,
	"lease_until" bigint
);
--> statement-breakpoint
CREATE INDEX "outbox_at_idx" ON "outbox" USING btree ("at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_idx" ON "webhook_deliveries" USING btree ("webhook_id","at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_at_idx" ON "webhook_deliveries" USING btree ("at");