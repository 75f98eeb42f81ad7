/**
 * Sign-in by email one-time code, and sessions.
 *
 * Codes: 6 digits, valid 10 minutes, single use, at most 5 tries each, and only an
 * HMAC (keyed by SECRET_KEY) is stored, so a copy of the database does not reveal
 * live codes. A new code for an email supersedes the older ones. Requests are rate
 * limited per email and per IP.
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
import { Member } from "../member";
import { User, emailSchema, type UserInfo } from "../user";
import { fn } from "../util/fn";
import { log } from "../util/log";
import { RateLimit } from "./rate-limit";
import { sessionTable, signInCodeTable } from "./auth.sql";

export { RateLimit, RateLimitedError } from "./rate-limit";
export { sessionTable, signInCodeTable, rateLimitTable } from "./auth.sql";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
export const SESSION_TTL_MS = 30 * 86_400_000;

export const limits = {
  codePerEmail: { limit: 5, window: 15 * 60 },
  codePerIp: { limit: 30, window: 15 * 60 },
  verifyPerEmail: { limit: 20, window: 15 * 60 },
  verifyPerIp: { limit: 60, window: 15 * 60 },
};

function hashCode(id: string, code: string) {
  return createHmac("sha256", env.SECRET_KEY).update(`${id}:${code}`).digest("hex");
}

export interface SessionInfo {
  id: string;
  userId: string;
  email: string;
  timeExpires: Date;
}

export namespace Auth {
  /** Emails a new code to `email`. */
  export const requestCode = fn(
    z.object({ email: emailSchema, ip: z.string().max(64).optional() }),
    async (input): Promise<{ email: string }> => {
      await RateLimit.hit(`code:email:${input.email}`, limits.codePerEmail, "Too many codes requested for this email; wait a few minutes");
      if (input.ip) await RateLimit.hit(`code:ip:${input.ip}`, limits.codePerIp, "Too many sign-in attempts from this address; wait a few minutes");
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const id = createId();
      const now = new Date();
      await Database.transaction(async (tx) => {
        // Older codes for this email stop working.
        await tx
          .update(signInCodeTable)
          .set({ timeUsed: now })
          .where(and(eq(signInCodeTable.email, input.email), isNull(signInCodeTable.timeUsed)));
        await tx.insert(signInCodeTable).values({
          id,
          email: input.email,
          codeHash: hashCode(id, code),
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
              "It is valid for 10 minutes and can be used once.",
              "If you did not ask to sign in to Console, you can ignore this email.",
            ].join("\n"),
          }),
        );
      });
      log.info("sign-in code sent", { codeId: id });
      return { email: input.email };
    },
  );

  /** Checks a code; on success creates the user if new, joins pending invitations and opens a session. */
  export const verify = fn(
    z.object({
      email: emailSchema,
      code: z.string().trim().regex(/^\d{6}$/, "The code has 6 digits"),
      ip: z.string().max(64).optional(),
      userAgent: z.string().optional(),
    }),
    async (input): Promise<{ token: string; user: UserInfo; session: { id: string; timeExpires: Date } }> => {
      await RateLimit.hit(`verify:email:${input.email}`, limits.verifyPerEmail, "Too many tries for this email; wait a few minutes");
      if (input.ip) await RateLimit.hit(`verify:ip:${input.ip}`, limits.verifyPerIp, "Too many tries from this address; wait a few minutes");
      const now = new Date();
      const [latest] = await Database.use((db) =>
        db
          .select()
          .from(signInCodeTable)
          .where(eq(signInCodeTable.email, input.email))
          .orderBy(desc(signInCodeTable.timeCreated), desc(signInCodeTable.id))
          .limit(1),
      );
      if (!latest) throw new VisibleError("invalid_code", "That code is not right. Check the email or request a new code");
      if (latest.timeUsed || latest.timeExpires <= now) {
        throw new VisibleError("code_expired", "This code has expired or was already used. Request a new one");
      }
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
      if (Database.affected(used) === 0) throw new VisibleError("code_expired", "This code has expired or was already used. Request a new one");

      const user = await User.upsert(input.email);
      await Actor.provide({ type: "user", properties: { userId: user.id, email: user.email, ip: input.ip } }, () =>
        Member.acceptInvitations(user),
      );
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
