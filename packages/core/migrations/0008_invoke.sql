CREATE TABLE `lambda_invocation` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`function_id` char(26) NOT NULL,
	`request_id` varchar(64),
	`payload` longtext NOT NULL,
	`status_code` int,
	`function_error` varchar(64),
	`replay_of` char(26),
	`user_id` char(26),
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `lambda_invocation_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `lambda_payload` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`name` varchar(100) NOT NULL,
	`payload` longtext NOT NULL,
	`created_by` char(26),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `lambda_payload_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `lambda_payload_name` UNIQUE(`workspace_id`,`name`)
);
--> statement-breakpoint
ALTER TABLE `workspace` ADD `invoke_role` varchar(16) DEFAULT 'member' NOT NULL;--> statement-breakpoint
CREATE INDEX `lambda_invocation_function` ON `lambda_invocation` (`workspace_id`,`function_id`,`time_created`);--> statement-breakpoint
CREATE INDEX `lambda_invocation_request` ON `lambda_invocation` (`workspace_id`,`request_id`);