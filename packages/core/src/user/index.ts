import { eq } from "drizzle-orm";
import { z } from "zod";
import { Database } from "../db";
import { createId } from "../id";
import { userTable } from "./user.sql";

export { userTable } from "./user.sql";

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .transform((v) => v.toLowerCase())
  .pipe(z.email({ message: "Enter a valid email address" }));

export interface UserInfo {
  id: string;
  email: string;
}

export namespace User {
  export const table = userTable;

  export async function fromId(id: string): Promise<UserInfo | undefined> {
    return Database.use(async (db) => {
      const [row] = await db.select({ id: userTable.id, email: userTable.email }).from(userTable).where(eq(userTable.id, id));
      return row;
    });
  }

  export async function fromEmail(email: string): Promise<UserInfo | undefined> {
    return Database.use(async (db) => {
      const [row] = await db
        .select({ id: userTable.id, email: userTable.email })
        .from(userTable)
        .where(eq(userTable.email, email.toLowerCase()));
      return row;
    });
  }

  /** Finds or creates the user with this email (a new email creates the account). */
  export async function upsert(email: string): Promise<UserInfo & { created: boolean }> {
    const normalized = email.toLowerCase();
    return Database.transaction(async (tx) => {
      const id = createId();
      await tx
        .insert(userTable)
        .values({ id, email: normalized, timeSeen: new Date() })
        .onDuplicateKeyUpdate({ set: { timeSeen: new Date() } });
      const [row] = await tx.select({ id: userTable.id, email: userTable.email }).from(userTable).where(eq(userTable.email, normalized));
      if (!row) throw new Error("user upsert failed");
      return { ...row, created: row.id === id };
    });
  }
}
