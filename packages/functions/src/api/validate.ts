/**
 * Input validation at the HTTP edge, with the domain's zod schemas.
 *
 * - `json(schema)`: the JSON body. Keeps the body rules of `jsonBody` (415 when it is not
 *   JSON, 400 `bad_request` when it does not parse or is not an object, an empty body is
 *   `{}`), then validates.
 * - `query(schema)`, `param(schema)`: the query string and the path parameters.
 *
 * A failed check is a 400 `{ error: { code: "validation", message, details: [{ path, message }] } }`,
 * the same error a domain function throws for the same input (`parse` in core's util/fn.ts).
 * Handlers read the result with `c.req.valid("json" | "query" | "param")`. The schemas are
 * also what the typed client (`hc<Api>`, packages/web/src/lib/api) takes as its input types.
 */
import { zValidator } from "@hono/zod-validator";
import type { Env, MiddlewareHandler } from "hono";
import { z } from "zod";
import { parse } from "@console/core/util/fn";
import { jsonBody } from "./body";

/** Validates the JSON body. */
export function json<S extends z.ZodType, E extends Env = Env, P extends string = string>(
  schema: S,
): MiddlewareHandler<E, P, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const body = await jsonBody(c);
    c.req.addValidatedData("json", parse(schema, body) as object);
    await next();
  };
}

/** Validates the query string (values are strings; a repeated key is an array). */
export function query<S extends z.ZodType>(schema: S) {
  // On failure `result.data` is the raw input: `parse` throws the domain's validation error.
  return zValidator("query", schema, (result) => {
    if (!result.success) parse(schema, result.data);
  });
}

/** Validates the path parameters. */
export function param<S extends z.ZodType>(schema: S) {
  return zValidator("param", schema, (result) => {
    if (!result.success) parse(schema, result.data);
  });
}

// ---------------------------------------------------------------------------------------
// Shapes shared by several routes

/** The id of a row in a path (`:account`, `:issue`, `:stage`…). */
export const id = z.string().min(1).max(64);

/** `?stage=`: an empty value means "every stage", as it always has. */
export const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** The template variants (`?variant=`). */
export const variant = z
  .enum(["least", "readonly", "admin"], { error: "must be one of least, readonly, admin" })
  .default("least");
