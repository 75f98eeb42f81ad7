/** The API on AWS Lambda (function URL). */
import { handle } from "hono/aws-lambda";
import { createApi } from "./index";
import { setupRuntime } from "../runtime";

await setupRuntime();
export const handler = handle(createApi());
