CREATE TABLE `audit_log` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`action` varchar(64) NOT NULL,
	`actor_type` varchar(16) NOT NULL,
	`actor_id` varchar(26),
	`actor_email` varchar(255),
	`target_type` varchar(32) NOT NULL,
	`target_id` varchar(64),
	`target_label` varchar(255),
	`data` longtext,
	`ip` varchar(64),
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `audit_log_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `rate_limit` (
	`key` varchar(191) NOT NULL,
	`window` bigint NOT NULL,
	`count` int NOT NULL,
	CONSTRAINT `rate_limit_key_window_pk` PRIMARY KEY(`key`,`window`)
);
--> statement-breakpoint
CREATE TABLE `session` (
	`id` char(26) NOT NULL,
	`user_id` char(26) NOT NULL,
	`token_hash` char(64) NOT NULL,
	`user_agent` varchar(255),
	`ip` varchar(64),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_last_used` datetime(3) NOT NULL,
	`time_expires` datetime(3) NOT NULL,
	`time_revoked` datetime(3),
	CONSTRAINT `session_id` PRIMARY KEY(`id`),
	CONSTRAINT `session_token_hash` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `sign_in_code` (
	`id` char(26) NOT NULL,
	`email` varchar(255) NOT NULL,
	`code_hash` char(64) NOT NULL,
	`attempts` int NOT NULL DEFAULT 0,
	`ip` varchar(64),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_expires` datetime(3) NOT NULL,
	`time_used` datetime(3),
	CONSTRAINT `sign_in_code_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `invitation` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`email` varchar(255) NOT NULL,
	`role` enum('owner','admin','member') NOT NULL,
	`invited_by` char(26) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_expires` datetime(3) NOT NULL,
	CONSTRAINT `invitation_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `invitation_workspace_email` UNIQUE(`workspace_id`,`email`)
);
--> statement-breakpoint
CREATE TABLE `member` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`user_id` char(26) NOT NULL,
	`role` enum('owner','admin','member') NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `member_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `member_workspace_user` UNIQUE(`workspace_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `user` (
	`id` char(26) NOT NULL,
	`email` varchar(255) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_seen` datetime(3),
	CONSTRAINT `user_id` PRIMARY KEY(`id`),
	CONSTRAINT `user_email` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `workspace` (
	`id` char(26) NOT NULL,
	`slug` varchar(64) NOT NULL,
	`name` varchar(100) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_deleted` datetime(3),
	CONSTRAINT `workspace_id` PRIMARY KEY(`id`),
	CONSTRAINT `workspace_slug` UNIQUE(`slug`)
);
--> statement-breakpoint
CREATE INDEX `audit_time` ON `audit_log` (`workspace_id`,`time_created`);--> statement-breakpoint
CREATE INDEX `rate_limit_window` ON `rate_limit` (`window`);--> statement-breakpoint
CREATE INDEX `session_user` ON `session` (`user_id`);--> statement-breakpoint
CREATE INDEX `sign_in_code_email` ON `sign_in_code` (`email`,`time_created`);--> statement-breakpoint
CREATE INDEX `invitation_email` ON `invitation` (`email`);--> statement-breakpoint
CREATE INDEX `member_user` ON `member` (`user_id`);