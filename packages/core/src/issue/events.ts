/** The issue domain's events, published as `Issue.Events` (./index.ts); declared here so ./ingest can publish them. */
import { z } from "zod";
import { defineEvent } from "../event";

export const IssueEvents = {
  /** A new issue, or a regression (a resolved issue happened again). */
  Detected: defineEvent("issue.detected", z.object({ issueId: z.string(), stageId: z.string(), reason: z.enum(["new", "regression"]) })),
};
