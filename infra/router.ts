/**
 * One CloudFront distribution in front of the web app and the API, so the web
 * app calls /api on its own origin (no CORS, cookies stay first-party).
 * Set CONSOLE_DOMAIN for a custom domain (its DNS on Route 53).
 *
 * Edge signing (`protection`, SST 4.1+): every Lambda function URL routed through
 * this router gets `AWS_IAM` authorization and an Origin Access Control, and the
 * only principal allowed to invoke it is this distribution
 * (`cloudfront.amazonaws.com` with the distribution's ARN as source). CloudFront
 * signs each origin request with SigV4; a Lambda@Edge origin-request function adds
 * the `x-amz-content-sha256` of POST/PUT/PATCH bodies, which the signature needs.
 * So the API cannot be called around CloudFront, and the headers CloudFront adds
 * (`CloudFront-Viewer-Address`, which the API takes as the client address:
 * TRUST_PROXY=cloudfront) cannot be written by a caller. Bodies through the router
 * are limited to 1 MB by Lambda@Edge (the API's own limit is 64 KiB).
 */
export const router = new sst.aws.Router("Router", {
  ...(process.env.CONSOLE_DOMAIN ? { domain: process.env.CONSOLE_DOMAIN } : {}),
  protection: "oac-with-edge-signing",
});
