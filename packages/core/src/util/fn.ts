import type { z } from "zod";
import { VisibleError } from "../error";

/** Turns zod issues into the `details` of a validation error. */
export function validationDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = validationDetails(result.error);
    const first = details[0];
    throw new VisibleError(
      "validation",
      first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "Invalid input",
      details,
    );
  }
  return result.data;
}

/**
 * A domain function whose input is validated by `schema` before `cb` runs.
 * `fn.schema` exposes the schema for the API layer.
 */
export function fn<S extends z.ZodType, R>(schema: S, cb: (input: z.output<S>) => R) {
  const wrapped = (input: z.input<S>): R => cb(parse(schema, input));
  wrapped.schema = schema;
  return wrapped;
}
