CREATE TABLE `deploy` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`stage_id` char(26) NOT NULL,
	`update_id` varchar(64) NOT NULL,
	`run_id` varchar(64),
	`source` enum('cli','autodeploy') NOT NULL,
	`command` varchar(32) NOT NULL,
	`version` varchar(32),
	`status` enum('running','succeeded','failed') NOT NULL,
	`time_started` datetime(3),
	`time_completed` datetime(3),
	`created` int NOT NULL DEFAULT 0,
	`updated` int NOT NULL DEFAULT 0,
	`deleted` int NOT NULL DEFAULT 0,
	`replaced` int NOT NULL DEFAULT 0,
	`errors` longtext NOT NULL,
	`changes` longtext NOT NULL,
	`changes_truncated` boolean NOT NULL DEFAULT false,
	`has_event_log` boolean NOT NULL DEFAULT false,
	`source_tag` varchar(255) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `deploy_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `deploy_update` UNIQUE(`workspace_id`,`stage_id`,`update_id`)
);
--> statement-breakpoint
CREATE TABLE `github_delivery` (
	`id` varchar(64) NOT NULL,
	`event` varchar(64) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `github_delivery_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `github_install_state` (
	`hash` char(64) NOT NULL,
	`workspace_id` char(26) NOT NULL,
	`user_id` char(26) NOT NULL,
	`time_expires` datetime(3) NOT NULL,
	CONSTRAINT `github_install_state_hash_pk` PRIMARY KEY(`hash`)
);
--> statement-breakpoint
CREATE TABLE `github_installation` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`installation_id` bigint NOT NULL,
	`account_login` varchar(255) NOT NULL,
	`account_type` varchar(32) NOT NULL,
	`installed_by` char(26) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `github_installation_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `github_installation_id` UNIQUE(`installation_id`)
);
--> statement-breakpoint
CREATE INDEX `deploy_stage_time` ON `deploy` (`workspace_id`,`stage_id`,`time_started`);--> statement-breakpoint
CREATE INDEX `github_install_state_expires` ON `github_install_state` (`time_expires`);