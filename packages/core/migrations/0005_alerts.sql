CREATE TABLE `alert_delivery` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`event_id` varchar(64) NOT NULL,
	`destination_id` char(26) NOT NULL,
	`event` varchar(64) NOT NULL,
	`issue_id` char(26),
	`payload` longtext NOT NULL,
	`status` enum('pending','sent','retrying','failed') NOT NULL DEFAULT 'pending',
	`attempts` int NOT NULL DEFAULT 0,
	`error` text,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	`time_next_attempt` datetime(3),
	`time_sent` datetime(3),
	CONSTRAINT `alert_delivery_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`),
	CONSTRAINT `alert_delivery_event` UNIQUE(`workspace_id`,`event_id`,`destination_id`)
);
--> statement-breakpoint
CREATE TABLE `alert_destination` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`type` enum('slack','email','webhook') NOT NULL,
	`name` varchar(255) NOT NULL,
	`config` longtext NOT NULL,
	`secret` text,
	`warning_code` varchar(64),
	`warning_message` text,
	`time_warning` datetime(3),
	`time_last_success` datetime(3),
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `alert_destination_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `alert_rule` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`name` varchar(255) NOT NULL,
	`events` longtext NOT NULL,
	`apps` longtext NOT NULL,
	`stages` longtext NOT NULL,
	`personal_stages` boolean NOT NULL DEFAULT false,
	`destinations` longtext NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `alert_rule_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `alert_slack_state` (
	`hash` char(64) NOT NULL,
	`workspace_id` char(26) NOT NULL,
	`user_id` char(26) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_expires` datetime(3) NOT NULL,
	CONSTRAINT `alert_slack_state_hash_pk` PRIMARY KEY(`hash`)
);
--> statement-breakpoint
CREATE TABLE `alert_slack` (
	`workspace_id` char(26) NOT NULL,
	`team_id` varchar(32) NOT NULL,
	`team_name` varchar(255) NOT NULL,
	`bot_user_id` varchar(32),
	`token` text NOT NULL,
	`installed_by` char(26) NOT NULL,
	`time_created` datetime(3) NOT NULL,
	`time_updated` datetime(3) NOT NULL,
	CONSTRAINT `alert_slack_workspace_id_pk` PRIMARY KEY(`workspace_id`)
);
--> statement-breakpoint
CREATE TABLE `alert_throttle` (
	`workspace_id` char(26) NOT NULL,
	`throttle_key` varchar(64) NOT NULL,
	`event_id` varchar(64) NOT NULL,
	`time_last` datetime(3) NOT NULL,
	CONSTRAINT `alert_throttle_workspace_id_throttle_key_pk` PRIMARY KEY(`workspace_id`,`throttle_key`)
);
--> statement-breakpoint
CREATE INDEX `alert_delivery_time` ON `alert_delivery` (`workspace_id`,`time_created`);--> statement-breakpoint
CREATE INDEX `alert_delivery_due` ON `alert_delivery` (`status`,`time_next_attempt`);--> statement-breakpoint
CREATE INDEX `alert_slack_state_expires` ON `alert_slack_state` (`time_expires`);--> statement-breakpoint
CREATE INDEX `alert_throttle_time` ON `alert_throttle` (`time_last`);