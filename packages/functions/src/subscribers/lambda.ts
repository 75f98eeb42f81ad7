/** Lambda entries of the event subscribers (one function each, see infra/bus.ts). */
import { lambdaHandler } from "./index";
import { setupRuntime } from "../runtime";

await setupRuntime();

export const scanOnConnect = lambdaHandler("scanOnConnect");
export const scanOnRequest = lambdaHandler("scanOnRequest");
export const disconnect = lambdaHandler("disconnect");
export const subscribeStage = lambdaHandler("subscribeStage");
export const unsubscribeStage = lambdaHandler("unsubscribeStage");
export const cleanupWorkspace = lambdaHandler("cleanupWorkspace");
