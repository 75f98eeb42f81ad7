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
CREATE INDEX `ingest_dead_letter_status` ON `ingest_dead_letter` (`workspace_id`,`status`,`time_dead`);--> statement-breakpoint
CREATE INDEX `ingest_dead_letter_updated` ON `ingest_dead_letter` (`time_updated`);