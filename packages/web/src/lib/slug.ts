/** A URL slug from a name: lowercase letters, digits and single dashes. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Paths of the web app that a workspace URL must not shadow (the server keeps the same list). */
const RESERVED = new Set(["api", "auth", "workspace", "workspaces", "new", "settings", "local", "admin", "static", "assets", "health", "me", "invitations"]);

/** Checks a slug the way the form shows it; the server has the last word. */
export function slugProblem(slug: string): string | null {
  if (!slug) return "Choose a URL for the workspace.";
  if (slug.length < 3) return "Use at least 3 characters.";
  if (RESERVED.has(slug)) return "This URL is reserved. Choose another one.";
  if (slug.length > 48) return "Use at most 48 characters.";
  if (!SLUG_PATTERN.test(slug)) return "Use lowercase letters, digits and dashes; start and end with a letter or digit.";
  return null;
}
