/**
 * The detector alone: the error detection of Issues without zod, Node built-ins or source
 * maps, so that the web app can run the very same rules in the browser (the Local tab
 * detects errors in what `sst dev` streams from the developer's machine, which never
 * reaches the console's servers). test/structure/imports.test.ts keeps this entry pure.
 */
export { createDetector, detect, runtimeFromHint, type Detector } from "./detector";
export type { DetectedError, ErrorCause, ErrorKind, Frame, LogEvent, Runtime, SourceContext, StreamContext } from "./types";
