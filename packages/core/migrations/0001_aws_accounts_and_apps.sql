CREATE TABLE `aws_account` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`account_id` varchar(12),
	`role_arn` varchar(2048),
	`external_id_sealed` text NOT NULL,
	`method` enum('stack','manual','demo') NOT NULL,
	`status` enum('connecting','connected','scanning','failed','disconnecting') NOT NULL,
	`reason` text,
	`progress` longtext,
	`stack_id` varchar(2048),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_connected` datetime(3),
	`time_scanned` datetime(3),
	CONSTRAINT `aws_account_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `aws_account_workspace_account` UNIQUE(`workspace_id`,`account_id`)
);
--> statement-breakpoint
CREATE TABLE `aws_region` (
	`workspace_id` char(26) NOT NULL,
	`aws_account_id` char(26) NOT NULL,
	`region` varchar(32) NOT NULL,
	`state_bucket` varchar(63),
	`asset_bucket` varchar(63),
	`v2_bucket` varchar(63),
	`notifications_enabled` longtext,
	`rule_name` varchar(64),
	`rule_managed` boolean NOT NULL DEFAULT false,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `aws_region_workspace_id_aws_account_id_region_pk` PRIMARY KEY(`workspace_id`,`aws_account_id`,`region`)
);
--> statement-breakpoint
CREATE TABLE `app` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`name` varchar(255) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `app_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `app_workspace_name` UNIQUE(`workspace_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `function` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`key_hash` char(64) NOT NULL,
	`component` varchar(255) NOT NULL,
	`name` varchar(140) NOT NULL,
	`arn` varchar(255) NOT NULL,
	`region` varchar(32) NOT NULL,
	`account_id` varchar(12) NOT NULL,
	`runtime` varchar(64),
	`handler` varchar(512),
	`source_handler` varchar(512),
	`memory_size` int,
	`timeout` int,
	`code_size` bigint,
	`log_group` varchar(512) NOT NULL,
	`live` boolean NOT NULL DEFAULT false,
	`internal` boolean NOT NULL DEFAULT false,
	`time_deployed` datetime(3),
	CONSTRAINT `function_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `function_key` UNIQUE(`workspace_id`,`stage_id`,`key_hash`)
);
--> statement-breakpoint
CREATE TABLE `resource` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`key_hash` char(64) NOT NULL,
	`key` text NOT NULL,
	`type` varchar(255) NOT NULL,
	`name` varchar(255) NOT NULL,
	`parent_key` text,
	`outputs` longtext NOT NULL,
	CONSTRAINT `resource_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `resource_key` UNIQUE(`workspace_id`,`stage_id`,`key_hash`)
);
--> statement-breakpoint
CREATE TABLE `stage` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`app_id` char(26) NOT NULL,
	`aws_account_id` char(26) NOT NULL,
	`region` varchar(32) NOT NULL,
	`name` varchar(255) NOT NULL,
	`version` enum('v3','v2') NOT NULL,
	`personal` boolean NOT NULL DEFAULT false,
	`content_hash` char(64) NOT NULL,
	`source_tag` varchar(1024) NOT NULL,
	`function_count` int NOT NULL DEFAULT 0,
	`resource_count` int NOT NULL DEFAULT 0,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_deployed` datetime(3),
	`time_deleted` datetime(3),
	CONSTRAINT `stage_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `stage_identity` UNIQUE(`workspace_id`,`app_id`,`aws_account_id`,`region`,`name`)
);
--> statement-breakpoint
CREATE INDEX `aws_account_account` ON `aws_account` (`account_id`);--> statement-breakpoint
CREATE INDEX `aws_account_id` ON `aws_account` (`id`);--> statement-breakpoint
CREATE INDEX `function_arn` ON `function` (`workspace_id`,`arn`);--> statement-breakpoint
CREATE INDEX `function_log_group` ON `function` (`workspace_id`,`log_group`);--> statement-breakpoint
CREATE INDEX `stage_account` ON `stage` (`workspace_id`,`aws_account_id`);