/**
 * Sign-in by email one-time code: email, then the 6-digit code (paste works and submits),
 * resend with a cooldown, and a clear message for each failure.
 */
import { useNavigate, useSearchParams } from "@solidjs/router";
import CircleAlert from "lucide-solid/icons/circle-alert";
import SquareTerminal from "lucide-solid/icons/square-terminal";
import { Match, Show, Switch, createSignal, onCleanup, onMount } from "solid-js";
import { Button } from "../../components/Button";
import { Input } from "../../components/Input";
import { toast } from "../../components/Toast";
import { api, describeError, fieldErrors, getToken, setToken, toApiError, type ApiError } from "../../lib/api";
import { useQueryClient } from "@tanstack/solid-query";
import { fetchPendingInvitations } from "../../data/invitations";
import { pickWorkspace, useSession } from "../../data/session";
import styles from "./SignIn.module.css";

const RESEND_COOLDOWN = 30;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function safeNext(value: string | string[] | undefined): string | null {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/auth")) return null;
  return next;
}

export default function SignIn() {
  const navigate = useNavigate();
  const session = useSession();
  const client = useQueryClient();
  const [search] = useSearchParams();
  const [step, setStep] = createSignal<"email" | "code">("email");
  // An invitation email links here with the invited address filled in.
  const [email, setEmail] = createSignal(typeof search.email === "string" ? search.email.trim().slice(0, 254) : "");
  const [emailError, setEmailError] = createSignal<string | null>(null);
  const [code, setCode] = createSignal("");
  const [error, setError] = createSignal<ApiError | null>(null);
  const [sending, setSending] = createSignal(false);
  const [verifying, setVerifying] = createSignal(false);
  const [cooldown, setCooldown] = createSignal(0);
  let codeInput: HTMLInputElement | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const local = ["localhost", "127.0.0.1", "[::1]"].includes(window.location.hostname);

  onMount(() => {
    // Already signed in? Go on.
    if (getToken()) {
      void session.ensure().then((me) => {
        if (me) void goOn();
      });
    }
  });
  onCleanup(() => clearInterval(timer));

  const startCooldown = (seconds: number) => {
    setCooldown(seconds);
    clearInterval(timer);
    timer = setInterval(() => {
      setCooldown((s) => {
        if (s <= 1) clearInterval(timer);
        return Math.max(0, s - 1);
      });
    }, 1000);
  };

  const sendCode = async (isResend: boolean) => {
    const value = email().trim().toLowerCase();
    if (!EMAIL.test(value)) {
      setEmailError("Enter a valid email address.");
      return;
    }
    setEmailError(null);
    setError(null);
    setSending(true);
    try {
      await api.sendCode(value);
      setEmail(value);
      setCode("");
      setStep("code");
      startCooldown(RESEND_COOLDOWN);
      if (isResend) toast.success(`New code sent to ${value}`);
      queueMicrotask(() => codeInput?.focus());
    } catch (err) {
      const e = toApiError(err);
      if (e.code === "rate_limited" && e.retryAfter) startCooldown(e.retryAfter);
      if (e.code === "validation") setEmailError(fieldErrors(e).email ?? "Enter a valid email address.");
      else if (step() === "email") setEmailError(describeError(e));
      else setError(e);
    } finally {
      setSending(false);
    }
  };

  const goOn = async () => {
    const me = await session.refresh();
    const next = safeNext(search.next);
    if (next) return navigate(next, { replace: true });
    if (!me) return navigate("/", { replace: true });
    // Invitations wait for an answer before anything else.
    if ((await fetchPendingInvitations(client))?.length) return navigate("/invitations", { replace: true });
    const choice = pickWorkspace(me);
    if (choice === "new") navigate("/workspace/new", { replace: true });
    else if (choice === "choose") navigate("/", { replace: true });
    else navigate(`/${choice.slug}`, { replace: true });
  };

  const verify = async () => {
    if (verifying()) return;
    const value = code();
    if (value.length !== 6) {
      setError(toApiError(new Error("Enter the 6 digits from the email.")));
      codeInput?.focus();
      return;
    }
    setError(null);
    setVerifying(true);
    try {
      const result = await api.verify(email(), value);
      setToken(result.token);
      await goOn();
    } catch (err) {
      const e = toApiError(err);
      setError(e);
      if (e.code === "rate_limited" && e.retryAfter) startCooldown(e.retryAfter);
      if (e.code === "code_expired" || e.code === "too_many_attempts") setCooldown(0);
      if (e.code === "invalid_code") {
        setCode("");
        codeInput?.focus();
      }
    } finally {
      setVerifying(false);
    }
  };

  const onCodeInput = (raw: string) => {
    const digits = raw.replace(/\D/g, "").slice(0, 6);
    if (digits !== code() && error() && !needsNewCode()) setError(null);
    setCode(digits);
    if (codeInput && codeInput.value !== digits) codeInput.value = digits;
  };

  const onPaste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData("text") ?? "";
    const digits = text.replace(/\D/g, "");
    if (!digits) return;
    e.preventDefault();
    onCodeInput(digits);
    if (digits.length >= 6) void verify();
  };

  /** A code that cannot work any more: the only way on is a new one. */
  const needsNewCode = () => {
    const c = error()?.code;
    return c === "code_expired" || c === "too_many_attempts";
  };

  return (
    <main class={styles.screen}>
      <div class={styles.brand}>
        <span class={styles.mark} aria-hidden="true">
          <SquareTerminal />
        </span>
        Console
      </div>
      <div class={styles.card}>
        <Switch>
          <Match when={step() === "email"}>
            <div class={styles.titles}>
              <h1>Sign in to Console</h1>
              <p class={styles.muted}>We will email you a 6-digit code. New here? The same step creates your account.</p>
            </div>
            <form
              class={styles.form}
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void sendCode(false);
              }}
            >
              <Input
                label="Email"
                type="email"
                name="email"
                autocomplete="email"
                placeholder="you@company.com"
                autofocus
                required
                value={email()}
                onInput={(e) => setEmail(e.currentTarget.value)}
                error={emailError()}
              />
              <Button type="submit" variant="primary" class={styles.full} loading={sending()} disabled={cooldown() > 0 && sending()}>
                Continue with email
              </Button>
            </form>
          </Match>
          <Match when={step() === "code"}>
            <div class={styles.titles}>
              <h1>Check your email</h1>
              <p class={styles.muted}>
                We sent a 6-digit code to <strong>{email()}</strong>. It works for 10 minutes.
              </p>
            </div>
            <form
              class={styles.form}
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void verify();
              }}
            >
              <Input
                ref={codeInput}
                label="Sign-in code"
                name="code"
                controlClass={styles.code}
                inputMode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                placeholder="000000"
                autofocus
                required
                value={code()}
                onInput={(e) => onCodeInput(e.currentTarget.value)}
                onPaste={onPaste}
                aria-invalid={error() ? true : undefined}
                aria-describedby={error() ? "signin-error" : undefined}
                mono
              />
              <Show when={error()}>
                {(e) => (
                  <div id="signin-error" class={styles.alert} role="alert">
                    <CircleAlert aria-hidden="true" />
                    <span>{e().code === "client" ? e().message : describeError(e())}</span>
                  </div>
                )}
              </Show>
              <Show when={local}>
                <p class={styles.hint}>Running the console locally? The code is also printed in the terminal that runs it.</p>
              </Show>
              <Button
                type="submit"
                variant="primary"
                class={styles.full}
                loading={verifying()}
                disabled={needsNewCode()}
              >
                Sign in
              </Button>
            </form>
            <div class={styles.links}>
              <button
                type="button"
                class={styles.linkButton}
                onClick={() => {
                  setStep("email");
                  setError(null);
                  setCode("");
                }}
              >
                Use a different email
              </button>
              <button
                type="button"
                class={styles.linkButton}
                disabled={cooldown() > 0 || sending()}
                onClick={() => void sendCode(true)}
              >
                {cooldown() > 0 ? `Resend code in ${cooldown()} s` : sending() ? "Sending…" : "Resend code"}
              </button>
            </div>
          </Match>
        </Switch>
      </div>
    </main>
  );
}
