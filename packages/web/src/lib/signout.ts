import type { QueryClient } from "@tanstack/solid-query";
import { clearSession } from "../data/session";
import { api } from "./api";

/** Revokes the session on the server (best effort), forgets it here, and goes to sign-in. */
export async function signOut(client: QueryClient, navigate: (to: string, options?: { replace?: boolean }) => void): Promise<void> {
  try {
    await api.logout();
  } catch {
    // The session may already be gone; signing out locally is what matters.
  }
  clearSession(client);
  navigate("/auth", { replace: true });
}
