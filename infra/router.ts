/**
 * One CloudFront distribution in front of the web app and the API, so the web
 * app calls /api on its own origin (no CORS, cookies stay first-party).
 * Set CONSOLE_DOMAIN for a custom domain (its DNS on Route 53).
 */
export const router = new sst.aws.Router("Router", {
  ...(process.env.CONSOLE_DOMAIN ? { domain: process.env.CONSOLE_DOMAIN } : {}),
});
