CREATE TABLE `autodeploy_env` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`app_id` char(26) NOT NULL,
	`position` int NOT NULL,
	`stage` varchar(255) NOT NULL,
	`name` varchar(128) NOT NULL,
	`secret` boolean NOT NULL,
	`value` text,
	`value_sealed` text,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `autodeploy_env_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `autodeploy_env_name` UNIQUE(`workspace_id`,`app_id`,`stage`,`name`)
);
--> statement-breakpoint
CREATE TABLE `autodeploy_repository` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`app_id` char(26) NOT NULL,
	`installation_id` char(26) NOT NULL,
	`github_repository_id` bigint NOT NULL,
	`full_name` varchar(255) NOT NULL,
	`default_branch` varchar(255) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `autodeploy_repository_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `autodeploy_repository_app` UNIQUE(`workspace_id`,`app_id`),
	CONSTRAINT `autodeploy_repository_github` UNIQUE(`workspace_id`,`github_repository_id`)
);
--> statement-breakpoint
CREATE TABLE `autodeploy_run` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`app_id` char(26) NOT NULL,
	`installation_id` char(26) NOT NULL,
	`repository_full_name` varchar(255) NOT NULL,
	`stage_name` varchar(64) NOT NULL,
	`action` enum('deploy','remove') NOT NULL,
	`trigger` enum('push','pull_request','redeploy') NOT NULL,
	`status` enum('queued','running','succeeded','failed','cancelled') NOT NULL,
	`commit_sha` varchar(64) NOT NULL,
	`commit_message` text NOT NULL,
	`commit_author` varchar(255) NOT NULL,
	`commit_url` varchar(1024) NOT NULL,
	`branch` varchar(255),
	`pull_request` int,
	`connection_id` char(26) NOT NULL,
	`region` varchar(32) NOT NULL,
	`error` text,
	`superseded_by` char(26),
	`stop_requested` boolean NOT NULL DEFAULT false,
	`build_id` varchar(255),
	`log_group` varchar(512),
	`log_stream` varchar(512),
	`time_queued` datetime(3) NOT NULL,
	`time_started` datetime(3),
	`time_completed` datetime(3),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `autodeploy_run_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `autodeploy_targets` (
	`workspace_id` char(26) NOT NULL,
	`app_id` char(26) NOT NULL,
	`branches` longtext NOT NULL,
	`pull_requests` longtext,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `autodeploy_targets_workspace_id_app_id_pk` PRIMARY KEY(`workspace_id`,`app_id`)
);
--> statement-breakpoint
CREATE INDEX `autodeploy_repository_github_id` ON `autodeploy_repository` (`github_repository_id`);--> statement-breakpoint
CREATE INDEX `autodeploy_run_app` ON `autodeploy_run` (`workspace_id`,`app_id`,`stage_name`,`status`);--> statement-breakpoint
CREATE INDEX `autodeploy_run_status` ON `autodeploy_run` (`status`);