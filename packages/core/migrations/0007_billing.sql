CREATE TABLE `billing_event` (
	`id` varchar(255) NOT NULL,
	`type` varchar(128) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `billing_event_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `billing_report` (
	`workspace_id` char(26) NOT NULL,
	`day` char(10) NOT NULL,
	`invocations` bigint NOT NULL,
	`identifier` varchar(100) NOT NULL,
	`time_sent` datetime(3),
	CONSTRAINT `billing_report_workspace_id_day_pk` PRIMARY KEY(`workspace_id`,`day`)
);
--> statement-breakpoint
CREATE TABLE `billing` (
	`workspace_id` char(26) NOT NULL,
	`stripe_customer_id` varchar(255) NOT NULL,
	`stripe_subscription_id` varchar(255),
	`status` varchar(32),
	`time_event` datetime(3),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `billing_workspace_id_pk` PRIMARY KEY(`workspace_id`),
	CONSTRAINT `billing_customer` UNIQUE(`stripe_customer_id`)
);
--> statement-breakpoint
CREATE TABLE `invocation_usage` (
	`workspace_id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`function_id` char(26) NOT NULL,
	`day` char(10) NOT NULL,
	`invocations` bigint NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `invocation_usage_workspace_id_stage_id_function_id_day_pk` PRIMARY KEY(`workspace_id`,`stage_id`,`function_id`,`day`)
);
--> statement-breakpoint
CREATE INDEX `invocation_usage_day` ON `invocation_usage` (`workspace_id`,`day`);