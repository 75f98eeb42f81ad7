/**
 * Sign-in by email one-time code, and sessions.
 *
 * Codes: 6 digits, valid 10 minutes, single use, and only an HMAC (keyed by
 * SECRET_KEY) is stored, so a copy of the database does not reveal live codes.
 *
 * A code is bound to whoever asked for it: the request answers a random challenge
 * (the web app keeps it in an HttpOnly cookie) and a code can only be tried with its
 * challenge, at most 5 times. So a stranger who knows someone's email can only guess
 * at codes they asked for themselves (which go to that person's inbox), and can
 * neither use up nor replace the code the person asked for: there is no per-email
 * lock to trip. A new code replaces only the older one of the same challenge (a
 * resend). Guesses are also limited per IP.
 *
 * Code requests are limited per email and IP (so one address cannot use up an
 * email's codes), per IP, and per email over the hour and the day against mail
 * floods from many addresses; an address the user has signed in from before is not
 * held by the per-email limits.
 *
 * Sessions: a random bearer token; only its SHA-256 is stored. Revocable one by
 * one (sign out) and checked on every request, with workspace membership checked
 * on every workspace request, so a removed member loses access at once.
 */
import { createHmac, randomInt } from "node:crypto";
import { and, desc, eq, gt, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Database } from "../db";
import { Email } from "../email";
import { env } from "../env";
import { NotFoundError, VisibleError } from "../error";
import { createId, createSecret, safeEqual, sha256 } from "../id";
import { User, emailSchema, type UserInfo } from "../user";
import { fn } from "../util/fn";
import { log } from "../util/log";
import { RateLimit, RateLimitedError } from "./rate-limit";
import { sessionTable, signInCodeTable } from "./auth.sql";

export { RateLimit, RateLimitedError } from "./rate-limit";
export { sessionTable, signInCodeTable, rateLimitTable } from "./auth.sql";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
export const SESSION_TTL_MS = 30 * 86_400_000;
/** Sessions from an address in this window make it a known address of the user. */
const KNOWN_ADDRESS_MS = 30 * 86_400_000;

export const limits = {
  /** Codes one address may ask for one email. */
  codePerEmailIp: { limit: 5, window: 15 * 60 },
  codePerIp: { limit: 30, window: 15 * 60 },
  /** Codes one email may get from all addresses (mail floods); known addresses are not held. */
  codePerEmailHour: { limit: 20, window: 3600 },
  codePerEmailDay: { limit: 50, window: 86_400 },
  verifyPerIp: { limit: 60, window: 15 * 60 },
};

function hashCode(id: string, code: string) {
  return createHmac("sha256", env.SECRET_KEY).update(`${id}:${code}`).digest("hex");
}

const challengeSchema = z.string().trim().min(16).max(200).optional();

const noCode = () =>
  new VisibleError("code_expired", "This code has expired or was asked for elsewhere. Request a new one");

export interface SessionInfo {
  id: string;
  userId: string;
  email: string;
  timeExpires: Date;
}

/** Whether the user with this email has had a session from `ip` lately. */
async function knownAddress(email: string, ip: string): Promise<boolean> {
  const rows = await Database.use((db) =>
    db
      .select({ id: sessionTable.id })
      .from(sessionTable)
      .innerJoin(User.table, eq(User.table.id, sessionTable.userId))
      .where(and(eq(User.table.email, email), eq(sessionTable.ip, ip), gt(sessionTable.timeCreated, new Date(Date.now() - KNOWN_ADDRESS_MS))))
      .limit(1),
  );
  return rows.length > 0;
}

/** Told of each sign-in in this process (the local console prints one line); nothing is sent anywhere. */
type SignInListener = (user: UserInfo) => void;
const signInListeners = new Set<SignInListener>();

export namespace Auth {
  /** Calls `listener` after each successful sign-in in this process; returns how to stop. */
  export function onSignIn(listener: SignInListener): () => void {
    signInListeners.add(listener);
    return () => signInListeners.delete(listener);
  }

  /**
   * Emails a new code to `email` and returns the challenge that trying it needs.
   * `challenge` (the one of an earlier request, sent back on a resend) retires that
   * earlier code.
   */
  export const requestCode = fn(
    z.object({ email: emailSchema, ip: z.string().max(64).optional(), challenge: challengeSchema }),
    async (input): Promise<{ email: string; challenge: string }> => {
      if (input.ip) {
        await RateLimit.hit(`code:ip:${input.ip}`, limits.codePerIp, "Too many sign-in attempts from this address; wait a few minutes");
      }
      await RateLimit.hit(
        `code:email-ip:${input.email}:${input.ip ?? "-"}`,
        limits.codePerEmailIp,
        "Too many codes requested for this email; wait a few minutes",
      );
      try {
        await RateLimit.hit(`code:email:${input.email}`, limits.codePerEmailHour, "Too many codes requested for this email; wait a while");
        await RateLimit.hit(`code:email-day:${input.email}`, limits.codePerEmailDay, "Too many codes requested for this email today");
      } catch (err) {
        // Strangers spread over many addresses must not keep the user out where they signed in before.
        if (!(err instanceof RateLimitedError) || !input.ip || !(await knownAddress(input.email, input.ip))) throw err;
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const challenge = createSecret(24);
      const id = createId();
      const now = new Date();
      await Database.transaction(async (tx) => {
        if (input.challenge) {
          // A resend: the code this browser asked for before stops working.
          await tx
            .update(signInCodeTable)
            .set({ timeUsed: now })
            .where(
              and(
                eq(signInCodeTable.challengeHash, sha256(input.challenge)),
                eq(signInCodeTable.email, input.email),
                isNull(signInCodeTable.timeUsed),
              ),
            );
        }
        await tx.insert(signInCodeTable).values({
          id,
          email: input.email,
          codeHash: hashCode(id, code),
          challengeHash: sha256(challenge),
          ip: input.ip ?? null,
          timeCreated: now,
          timeExpires: new Date(now.getTime() + CODE_TTL_MS),
        });
        await Database.afterCommit(() =>
          Email.send({
            to: input.email,
            subject: `Your Console sign-in code: ${code}`,
            text: [
              `Your sign-in code is ${code}`,
              "",
              "It is valid for 10 minutes and can be used once, in the browser that asked for it.",
              "If you did not ask to sign in to Console, you can ignore this email.",
            ].join("\n"),
          }),
        );
      });
      log.info("sign-in code sent", { codeId: id });
      return { email: input.email, challenge };
    },
  );

  /** Checks a code against the one its challenge names; on success creates the user if new and opens a session. */
  export const verify = fn(
    z.object({
      email: emailSchema,
      code: z.string().trim().regex(/^\d{6}$/, "The code has 6 digits"),
      challenge: challengeSchema,
      ip: z.string().max(64).optional(),
      userAgent: z.string().optional(),
    }),
    async (input): Promise<{ token: string; user: UserInfo; session: { id: string; timeExpires: Date } }> => {
      if (input.ip) await RateLimit.hit(`verify:ip:${input.ip}`, limits.verifyPerIp, "Too many tries from this address; wait a few minutes");
      if (!input.challenge) throw noCode();
      const now = new Date();
      const [latest] = await Database.use((db) =>
        db
          .select()
          .from(signInCodeTable)
          .where(and(eq(signInCodeTable.challengeHash, sha256(input.challenge!)), eq(signInCodeTable.email, input.email)))
          .orderBy(desc(signInCodeTable.timeCreated), desc(signInCodeTable.id))
          .limit(1),
      );
      if (!latest || latest.timeUsed || latest.timeExpires <= now) throw noCode();
      // Count the try before comparing, so parallel guesses cannot exceed the limit.
      const counted = await Database.use((db) =>
        db
          .update(signInCodeTable)
          .set({ attempts: latest.attempts + 1 })
          .where(
            and(
              eq(signInCodeTable.id, latest.id),
              eq(signInCodeTable.attempts, latest.attempts),
              lt(signInCodeTable.attempts, MAX_ATTEMPTS),
              isNull(signInCodeTable.timeUsed),
            ),
          ),
      );
      if (latest.attempts >= MAX_ATTEMPTS || Database.affected(counted) === 0) {
        throw new VisibleError("too_many_attempts", "Too many wrong codes. Request a new code");
      }
      if (!safeEqual(hashCode(latest.id, input.code), latest.codeHash)) {
        const left = MAX_ATTEMPTS - latest.attempts - 1;
        throw new VisibleError(
          left > 0 ? "invalid_code" : "too_many_attempts",
          left > 0 ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left` : "Too many wrong codes. Request a new code",
          { attemptsLeft: left },
        );
      }
      const used = await Database.use((db) =>
        db
          .update(signInCodeTable)
          .set({ timeUsed: now })
          .where(and(eq(signInCodeTable.id, latest.id), isNull(signInCodeTable.timeUsed), gt(signInCodeTable.timeExpires, now))),
      );
      if (Database.affected(used) === 0) throw noCode();

      const user = await User.upsert(input.email);
      const token = createSecret(32);
      const session = {
        id: createId(),
        userId: user.id,
        tokenHash: sha256(token),
        userAgent: input.userAgent?.slice(0, 255) ?? null,
        ip: input.ip ?? null,
        timeCreated: now,
        timeLastUsed: now,
        timeExpires: new Date(now.getTime() + SESSION_TTL_MS),
      };
      await Database.use((db) => db.insert(sessionTable).values(session));
      for (const listener of signInListeners) {
        try {
          listener({ id: user.id, email: user.email });
        } catch (err) {
          log.warn("a sign-in listener failed", { err });
        }
      }
      return { token, user: { id: user.id, email: user.email }, session: { id: session.id, timeExpires: session.timeExpires } };
    },
  );

  /** The live session for a bearer token, or undefined. */
  export async function authenticate(token: string): Promise<SessionInfo | undefined> {
    if (!token || token.length > 200) return undefined;
    const now = new Date();
    const [row] = await Database.use((db) =>
      db
        .select({
          id: sessionTable.id,
          userId: sessionTable.userId,
          email: User.table.email,
          timeExpires: sessionTable.timeExpires,
          timeRevoked: sessionTable.timeRevoked,
          timeLastUsed: sessionTable.timeLastUsed,
        })
        .from(sessionTable)
        .innerJoin(User.table, eq(User.table.id, sessionTable.userId))
        .where(eq(sessionTable.tokenHash, sha256(token))),
    );
    if (!row || row.timeRevoked || row.timeExpires <= now) return undefined;
    if (now.getTime() - row.timeLastUsed.getTime() > 60_000) {
      await Database.use((db) => db.update(sessionTable).set({ timeLastUsed: now }).where(eq(sessionTable.id, row.id)));
    }
    return { id: row.id, userId: row.userId, email: row.email, timeExpires: row.timeExpires };
  }

  /** Revokes one of the acting user's sessions. */
  export const revoke = fn(z.string().min(1).max(64), async (sessionId) => {
    const userId = Actor.userId();
    const result = await Database.use((db) =>
      db
        .update(sessionTable)
        .set({ timeRevoked: new Date() })
        .where(and(eq(sessionTable.id, sessionId), eq(sessionTable.userId, userId), isNull(sessionTable.timeRevoked))),
    );
    if (Database.affected(result) === 0) throw new NotFoundError("Session");
  });

  export async function sessions() {
    const actor = Actor.user();
    const rows = await Database.use((db) =>
      db
        .select({
          id: sessionTable.id,
          userAgent: sessionTable.userAgent,
          ip: sessionTable.ip,
          timeCreated: sessionTable.timeCreated,
          timeLastUsed: sessionTable.timeLastUsed,
        })
        .from(sessionTable)
        .where(and(eq(sessionTable.userId, actor.userId), isNull(sessionTable.timeRevoked), gt(sessionTable.timeExpires, new Date())))
        .orderBy(desc(sessionTable.timeLastUsed)),
    );
    return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
  }

  /** Drops codes older than a day. */
  export async function pruneCodes() {
    await Database.use((db) => db.delete(signInCodeTable).where(lt(signInCodeTable.timeCreated, new Date(Date.now() - 86_400_000))));
  }
}
