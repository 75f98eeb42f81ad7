/**
 * Outgoing email through SES. Set EMAIL_DOMAIN to a domain whose DNS you control
 * (SST adds the DKIM records when the domain is on Route 53); otherwise verify the
 * sender address SES prints. New SES accounts start in the sandbox: request
 * production access before inviting people outside your team.
 */
const domain = process.env.EMAIL_DOMAIN;

export const email = new sst.aws.Email("Email", {
  sender: domain ?? process.env.EMAIL_SENDER ?? "console@example.com",
});

export const emailFrom = domain ? `Console <no-reply@${domain}>` : (process.env.EMAIL_SENDER ?? "console@example.com");
