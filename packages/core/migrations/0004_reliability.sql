CREATE TABLE `event_outbox` (
	`seq` bigint unsigned AUTO_INCREMENT NOT NULL,
	`id` char(26) NOT NULL,
	`workspace_id` char(26),
	`type` varchar(128) NOT NULL,
	`envelope` longtext NOT NULL,
	`attempts` int NOT NULL DEFAULT 0,
	`last_error` varchar(1024),
	`time_created` datetime(3) NOT NULL,
	`time_next` datetime(3) NOT NULL,
	`time_sent` datetime(3),
	CONSTRAINT `event_outbox_seq` PRIMARY KEY(`seq`),
	CONSTRAINT `event_outbox_id` UNIQUE(`id`)
);
--> statement-breakpoint
CREATE TABLE `ingest_dead_letter` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`connection_id` char(26),
	`region` varchar(32) NOT NULL,
	`record_id` varchar(128) NOT NULL,
	`status` enum('retrying','dead') NOT NULL DEFAULT 'retrying',
	`attempts` int NOT NULL DEFAULT 1,
	`reason` varchar(1024) NOT NULL,
	`excerpt` text NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_dead` datetime(3),
	CONSTRAINT `ingest_dead_letter_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `ingest_dead_letter_record` UNIQUE(`workspace_id`,`connection_id`,`region`,`record_id`)
);
--> statement-breakpoint
ALTER TABLE `sourcemap` MODIFY COLUMN `content` longblob;--> statement-breakpoint
ALTER TABLE `sourcemap` ADD `object_key` varchar(512);--> statement-breakpoint
ALTER TABLE `sourcemap` ADD `sha256` char(64);--> statement-breakpoint
CREATE INDEX `event_outbox_due` ON `event_outbox` (`time_sent`,`time_next`);--> statement-breakpoint
CREATE INDEX `event_outbox_sent` ON `event_outbox` (`time_sent`);--> statement-breakpoint
CREATE INDEX `ingest_dead_letter_status` ON `ingest_dead_letter` (`workspace_id`,`status`,`time_dead`);--> statement-breakpoint
CREATE INDEX `ingest_dead_letter_updated` ON `ingest_dead_letter` (`time_updated`);