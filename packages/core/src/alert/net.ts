/**
 * Outgoing HTTP to customer-chosen URLs (webhooks), guarded against SSRF: in a hosted
 * console a URL whose host is, or resolves to, a private, loopback, link-local, ULA or
 * otherwise non-public address is refused, when it is saved and again when it is sent
 * (DNS can change). At send time the check runs inside the connection's own DNS lookup,
 * so the address checked is the address connected to. Local development allows them.
 */
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { env, isLocalDev } from "../env";
import { VisibleError } from "../error";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** The IPv4 address an IPv6 address carries (IPv4-mapped, IPv4-compatible, NAT64), if any. */
function embeddedV4(ip: string): string | undefined {
  const lower = ip.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const a = parseInt(hex[1]!, 16);
    const b = parseInt(hex[2]!, 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return undefined;
}

/** Whether `ip` is not a public unicast address. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedV4(ip);
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true;
}

/** Whether private addresses are allowed (local development, unless configured). */
export function privateUrlsAllowed(): boolean {
  if (env.WEBHOOK_PRIVATE_URLS === "allow") return true;
  if (env.WEBHOOK_PRIVATE_URLS === "deny") return false;
  return isLocalDev();
}

export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

const systemLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

let lookupOverride: Lookup | undefined;
/** Tests: resolve names with `fn` instead of the system resolver (undefined restores it). */
export function setLookup(fn: Lookup | undefined) {
  lookupOverride = fn;
}
const resolveName: Lookup = (h) => (lookupOverride ?? systemLookup)(h);

function hostOf(url: URL) {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Parses and checks a webhook URL (scheme, credentials, and in hosted mode where it resolves). Throws a 400. */
export async function checkUrl(raw: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VisibleError("validation", "url: not a valid URL", [{ path: "url", message: "not a valid URL" }]);
  }
  const bad = (message: string) => new VisibleError("validation", `url: ${message}`, [{ path: "url", message }]);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw bad("use an http or https URL");
  if (url.username || url.password) throw bad("credentials in the URL are not allowed");
  if (privateUrlsAllowed()) return url;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveName(host)).map((a) => a.address);
    } catch {
      throw bad(`the host ${host} does not resolve`);
    }
  }
  if (!addresses.length || addresses.some(isPrivateAddress)) throw bad("the URL resolves to a private, loopback or link-local address");
  return url;
}

export class RefusedAddressError extends Error {
  readonly code = "private_address";
}

export interface PostResult {
  status: number;
  body: string;
}

/**
 * POSTs `body` to `url` with `headers`, within `timeoutMs`. In hosted mode the
 * connection's DNS lookup refuses private addresses (and an IP literal is checked
 * before connecting). Throws on network errors and timeouts.
 */
export async function post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const guard = !privateUrlsAllowed();
  const host = hostOf(url);
  if (guard && isIP(host) && isPrivateAddress(host)) throw new RefusedAddressError(`${host} is a private address`);
  const lookup = (hostname: string, options: { all?: boolean; family?: number }, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    resolveName(hostname).then(
      (addresses) => {
        const usable = guard ? addresses.filter((a) => !isPrivateAddress(a.address)) : addresses;
        if (guard && (usable.length !== addresses.length || !usable.length)) {
          cb(new RefusedAddressError(`${hostname} resolves to a private address`), "");
          return;
        }
        if (options.all) cb(null, usable);
        else cb(null, usable[0]!.address, usable[0]!.family);
      },
      (err: Error) => cb(err, ""),
    );
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body).toString() },
        lookup: lookup as never,
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= 4096) chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, 4096) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "timeout" })));
    req.on("error", reject);
    req.end(body);
  });
}
