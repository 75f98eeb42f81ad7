CREATE TABLE `fingerprint_rule` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`position` int NOT NULL,
	`rule` longtext NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `fingerprint_rule_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `ingest_seen` (
	`workspace_id` char(26) NOT NULL,
	`event_id` varchar(64) NOT NULL,
	`time_seen` datetime(3) NOT NULL,
	CONSTRAINT `ingest_seen_workspace_id_event_id_pk` PRIMARY KEY(`workspace_id`,`event_id`)
);
--> statement-breakpoint
CREATE TABLE `ingest_usage` (
	`workspace_id` char(26) NOT NULL,
	`hour` datetime(3) NOT NULL,
	`count` int NOT NULL DEFAULT 0,
	`dropped` int NOT NULL DEFAULT 0,
	CONSTRAINT `ingest_usage_workspace_id_hour_pk` PRIMARY KEY(`workspace_id`,`hour`)
);
--> statement-breakpoint
CREATE TABLE `issue_count` (
	`workspace_id` char(26) NOT NULL,
	`issue_id` char(26) NOT NULL,
	`hour` datetime(3) NOT NULL,
	`function_name` varchar(140) NOT NULL,
	`count` int NOT NULL,
	CONSTRAINT `issue_count_workspace_id_issue_id_hour_function_name_pk` PRIMARY KEY(`workspace_id`,`issue_id`,`hour`,`function_name`)
);
--> statement-breakpoint
CREATE TABLE `issue_hash` (
	`workspace_id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`hash` char(64) NOT NULL,
	`issue_id` char(26) NOT NULL,
	`grouping_version` int NOT NULL,
	CONSTRAINT `issue_hash_workspace_id_stage_id_hash_pk` PRIMARY KEY(`workspace_id`,`stage_id`,`hash`)
);
--> statement-breakpoint
CREATE TABLE `issue_occurrence` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`issue_id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`event_id` varchar(64) NOT NULL,
	`request_id` varchar(64),
	`function_name` varchar(140) NOT NULL,
	`log_group` varchar(512) NOT NULL,
	`log_stream` varchar(512) NOT NULL,
	`error` longtext NOT NULL,
	`lines` longtext NOT NULL,
	`time_seen` datetime(3) NOT NULL,
	CONSTRAINT `issue_occurrence_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `issue_subscription` (
	`workspace_id` char(26) NOT NULL,
	`aws_account_id` char(26) NOT NULL,
	`region` varchar(32) NOT NULL,
	`log_group` varchar(512) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`function_id` char(26) NOT NULL,
	`filter_name` varchar(512) NOT NULL,
	`destination_arn` varchar(512) NOT NULL,
	`filter_pattern_hash` char(64) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `issue_subscription_pk` PRIMARY KEY(`workspace_id`,`aws_account_id`,`region`,`log_group`)
);
--> statement-breakpoint
CREATE TABLE `issue` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`type` varchar(255) NOT NULL,
	`message` text NOT NULL,
	`kind` varchar(32) NOT NULL,
	`error` longtext NOT NULL,
	`function_name` varchar(140),
	`status` enum('active','resolved','ignored') NOT NULL DEFAULT 'active',
	`count` bigint NOT NULL DEFAULT 0,
	`grouping_version` int NOT NULL,
	`grouping_basis` longtext,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_first_seen` datetime(3) NOT NULL,
	`time_last_seen` datetime(3) NOT NULL,
	`time_resolved` datetime(3),
	`time_ignored` datetime(3),
	`resolved_by` varchar(255),
	CONSTRAINT `issue_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `sourcemap` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`stage_id` char(26),
	`function_name` varchar(140) NOT NULL,
	`file` varchar(255) NOT NULL,
	`bytes` int NOT NULL,
	`content` longblob NOT NULL,
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `sourcemap_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `warning` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`type` varchar(64) NOT NULL,
	`target` varchar(191) NOT NULL,
	`stage_id` varchar(26),
	`message` text NOT NULL,
	`data` longtext,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_expires` datetime(3),
	CONSTRAINT `warning_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `warning_target` UNIQUE(`workspace_id`,`type`,`target`)
);
--> statement-breakpoint
CREATE INDEX `ingest_seen_time` ON `ingest_seen` (`time_seen`);--> statement-breakpoint
CREATE INDEX `issue_hash_issue` ON `issue_hash` (`workspace_id`,`issue_id`);--> statement-breakpoint
CREATE INDEX `occurrence_issue` ON `issue_occurrence` (`workspace_id`,`issue_id`,`time_seen`);--> statement-breakpoint
CREATE INDEX `subscription_stage` ON `issue_subscription` (`workspace_id`,`stage_id`);--> statement-breakpoint
CREATE INDEX `issue_stage` ON `issue` (`workspace_id`,`stage_id`,`status`,`time_last_seen`);--> statement-breakpoint
CREATE INDEX `issue_last_seen` ON `issue` (`workspace_id`,`status`,`time_last_seen`);--> statement-breakpoint
CREATE INDEX `sourcemap_function` ON `sourcemap` (`workspace_id`,`function_name`,`file`,`time_created`);--> statement-breakpoint
CREATE INDEX `warning_stage` ON `warning` (`workspace_id`,`stage_id`);