/**
 * Why the browser may not reach `sst dev`, and what to run: the cases of SST's docs
 * ("Local logs": Safari and Brave need HTTPS, remote workspaces need a tunnel), told
 * apart from what the page can see about itself.
 */

export type Browser = "safari" | "brave" | "other";

export interface HelpInput {
  userAgent: string;
  /** `navigator.brave` exists (Brave hides itself in its user agent). */
  brave: boolean;
  /** The console page's own host name. */
  hostname: string;
}

export interface Help {
  browser: Browser;
  /** The browser needs the HTTPS address (`sst cert`) to reach localhost. */
  needsHttps: boolean;
  /** The console itself is open in a remote workspace: `sst dev` there is not on this computer. */
  remote: boolean;
  /** Which case to show first. */
  primary: "https" | "remote" | "start";
}

/** Hosts of remote development workspaces (the page is served from one of them). */
const REMOTE_HOSTS = /(^|\.)(gitpod\.io|github\.dev|app\.github\.dev|githubpreview\.dev|cloudworkstations\.dev|csb\.app|codesandbox\.io|devpod\.sh)$/i;

export function browserOf(input: Pick<HelpInput, "userAgent" | "brave">): Browser {
  if (input.brave) return "brave";
  const ua = input.userAgent;
  // Safari's agent says Safari and Version/; Chrome, Edge, Opera and the iOS wrappers add their names.
  if (/Safari\//.test(ua) && /Version\//.test(ua) && !/(Chrome|Chromium|CriOS|FxiOS|EdgiOS|Edg|OPR|Android)\//.test(ua)) return "safari";
  return "other";
}

export function connectionHelp(input: HelpInput): Help {
  const browser = browserOf(input);
  const needsHttps = browser !== "other";
  const remote = REMOTE_HOSTS.test(input.hostname);
  return { browser, needsHttps, remote, primary: remote ? "remote" : needsHttps ? "https" : "start" };
}

/** The help for the browser this page runs in. */
export function currentHelp(): Help {
  const nav = typeof navigator !== "undefined" ? (navigator as Navigator & { brave?: unknown }) : undefined;
  return connectionHelp({
    userAgent: nav?.userAgent ?? "",
    brave: !!nav?.brave,
    hostname: typeof location !== "undefined" ? location.hostname : "localhost",
  });
}
