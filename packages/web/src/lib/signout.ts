import { api } from "./api";
import { clearSession } from "./session";

/** Revokes the session on the server (best effort), forgets it here, and goes to sign-in. */
export async function signOut(navigate: (to: string, options?: { replace?: boolean }) => void): Promise<void> {
  try {
    await api.logout();
  } catch {
    // The session may already be gone; signing out locally is what matters.
  }
  clearSession();
  navigate("/auth", { replace: true });
}
