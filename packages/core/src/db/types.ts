import { char, customType, datetime, varchar } from "drizzle-orm/mysql-core";

/** A ULID id column. */
export const id = (name = "id") => char(name, { length: 26 });

export const workspaceId = () => char("workspace_id", { length: 26 }).notNull();

export const time = (name: string) => datetime(name, { mode: "date", fsp: 3 });

export const timestamps = {
  timeCreated: time("time_created").notNull().$defaultFn(() => new Date()),
  timeUpdated: time("time_updated")
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date()),
};

export const email = (name = "email") => varchar(name, { length: 255 });

/**
 * JSON stored as text. MariaDB's JSON type is LONGTEXT, so drivers hand back a
 * string; this column parses it either way.
 */
export const json = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => "longtext",
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => (typeof value === "string" ? (JSON.parse(value) as T) : (value as T)),
  })(name);
