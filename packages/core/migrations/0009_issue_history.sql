CREATE TABLE `issue_activity` (
	`workspace_id` char(26) NOT NULL,
	`id` char(26) NOT NULL,
	`issue_id` char(26) NOT NULL,
	`kind` varchar(16) NOT NULL,
	`actor_type` varchar(16) NOT NULL,
	`actor_email` varchar(255),
	`data` longtext,
	`time_created` datetime(3) NOT NULL,
	CONSTRAINT `issue_activity_workspace_id_id_pk` PRIMARY KEY(`workspace_id`,`id`)
);
--> statement-breakpoint
ALTER TABLE `issue` ADD `time_regressed` datetime(3);--> statement-breakpoint
ALTER TABLE `issue` ADD `primary_hash` char(64);--> statement-breakpoint
CREATE INDEX `issue_activity_issue` ON `issue_activity` (`workspace_id`,`issue_id`,`time_created`);