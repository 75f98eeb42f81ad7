ALTER TABLE `sign_in_code` ADD `challenge_hash` char(64);--> statement-breakpoint
ALTER TABLE `sign_in_code` ADD CONSTRAINT `sign_in_code_challenge` UNIQUE(`challenge_hash`);