/**
 * "Connect an AWS account": the person first picks the permissions and how to deploy the
 * stack; only then is a pending connection created (opening the dialog creates nothing,
 * so an abandoned dialog leaves no failing connection behind). A pending connection is
 * reopened as it is. Then: how to deploy its CloudFormation stack in us-east-1, waiting
 * for the stack to report back (when this console can be called back), and checking the
 * account by its id.
 */
import CircleCheck from "lucide-solid/icons/circle-check";
import Download from "lucide-solid/icons/download";
import ExternalLink from "lucide-solid/icons/external-link";
import Eye from "lucide-solid/icons/eye";
import EyeOff from "lucide-solid/icons/eye-off";
import LoaderCircle from "lucide-solid/icons/loader-circle";
import { For, Match, Show, Switch, createEffect, createSignal, on, onMount } from "solid-js";
import { Button, ButtonAnchor } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import { Dialog } from "../../components/Dialog";
import { FormError } from "../../components/FormError";
import { Input } from "../../components/Input";
import { RelativeTime } from "../../components/RelativeTime";
import { Select, type SelectOption } from "../../components/Select";
import { Skeleton } from "../../components/Skeleton";
import { toast } from "../../components/Toast";
import { useQueryClient } from "@tanstack/solid-query";
import { ACCOUNTS_POLL_MS, accountQuery, connectInfoQuery } from "../../data/accounts";
import { useQuery } from "../../data/query";
import { api, describeError, fieldErrors, toApiError, type Account, type ConnectInfo, type TemplateVariant } from "../../lib/api";
import styles from "./ConnectAccountDialog.module.css";

const VARIANTS: Array<SelectOption<TemplateVariant> & { hint: string }> = [
  {
    value: "least",
    label: "Least privilege (recommended)",
    hint: "Only the actions Console's features use, scoped to SST's resources where AWS allows it.",
  },
  {
    value: "readonly",
    label: "Read-only + write",
    hint: "AWS's ReadOnlyAccess policy, plus the few write actions Console needs (log subscriptions, event rules).",
  },
  {
    value: "admin",
    label: "Administrator",
    hint: "AdministratorAccess: full control of the account. Only if your organisation asks for it.",
  },
];

const PARAMETER_ORDER = ["ConnectionId", "ExternalId", "ConsoleAccountId", "ConsoleBusArn", "ServiceToken"];
const ACCOUNT_ID = /^\d{12}$/;

export interface ConnectAccountDialogProps {
  open: boolean;
  onClose: () => void;
  workspaceId: string;
  /** Reopen this pending connection instead of starting a new one. */
  account?: Account | null;
  /** The list changed (a pending connection was created, or its state moved). */
  onChanged: () => void;
  /** The account is connected: the dialog closes and the list shows the scan. */
  onConnected: (account: Account) => void;
}

export function ConnectAccountDialog(props: ConnectAccountDialogProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      size="lg"
      title="Connect an AWS account"
      description="Console reads your SST apps through an IAM role that a CloudFormation stack creates in your account. The role trusts only this console, and only with this connection's external id."
      footer={<Button onClick={props.onClose}>Close</Button>}
    >
      <ConnectFlow {...props} />
    </Dialog>
  );
}

function ConnectFlow(props: ConnectAccountDialogProps) {
  const [account, setAccount] = createSignal<Account | undefined>(props.account ?? undefined);
  const [info, setInfo] = createSignal<ConnectInfo | undefined>(undefined);
  const [loadError, setLoadError] = createSignal<unknown>(undefined);
  const [variant, setVariant] = createSignal<TemplateVariant>("least");

  const [fresh, setFresh] = createSignal(false);
  const client = useQueryClient();
  /** What to deploy for a connection, per permission variant (kept: switching back is instant). */
  const connectInfo = (id: string, v: TemplateVariant) => client.fetchQuery(connectInfoQuery(props.workspaceId, id, v));

  const start = async (startNew = false) => {
    setLoadError(undefined);
    try {
      const existing = startNew ? undefined : props.account;
      if (existing) {
        const [fresh, connect] = await Promise.all([
          api.accounts.get(props.workspaceId, existing.id),
          connectInfo(existing.id, variant()),
        ]);
        setAccount(fresh);
        setInfo(connect);
      } else {
        setInfo(undefined);
        const created = await api.accounts.create(props.workspaceId);
        setAccount(created.account);
        setInfo(created.connect);
        setFresh(true);
        props.onChanged();
      }
    } catch (err) {
      setLoadError(err);
    }
  };

  // A connection is made when the person commits to a method (`commit`), not on open.
  onMount(() => {
    if (props.account) void start();
  });
  const [committing, setCommitting] = createSignal<"quick" | "manual" | null>(null);
  const committed = () => !!props.account || !!account() || !!loadError();

  /** Creates the connection for the chosen method; "quick" opens CloudFormation with it. */
  const commit = async (method: "quick" | "manual") => {
    if (committing()) return;
    setCommitting(method);
    // Opened now (in the click), filled once the connection exists: browsers block later pop-ups.
    const tab = method === "quick" ? window.open("about:blank", "_blank") : null;
    try {
      await start(true);
      const a = account();
      const url = a && variant() !== "least" ? (await connectInfo(a.id, variant())).quickCreateUrl : info()?.quickCreateUrl;
      if (a && variant() !== "least") setInfo(await connectInfo(a.id, variant()));
      if (tab) {
        if (url && a) tab.location.href = url;
        else tab.close();
      }
    } catch (err) {
      tab?.close();
      setLoadError(err);
    } finally {
      setCommitting(null);
    }
  };

  const chooseVariant = async (next: TemplateVariant) => {
    setVariant(next);
    const a = account();
    if (!a) return;
    try {
      setInfo(await connectInfo(a.id, next));
    } catch (err) {
      toast.error(err);
    }
  };

  const finish = (connected: Account) => {
    props.onConnected(connected);
  };

  // With a callback, the stack tells the console itself: follow the account's state.
  const waiting = () => !!info()?.callback && account()?.status === "connecting";
  const followed = useQuery(() => ({
    ...accountQuery(props.workspaceId, account()?.id ?? ""),
    enabled: waiting(),
    refetchInterval: ACCOUNTS_POLL_MS,
  }));
  createEffect(
    on(
      () => followed.data,
      (fresh) => {
        const a = account();
        if (!fresh || !a || fresh.id !== a.id || !waiting()) return;
        setAccount(fresh);
        if (fresh.status !== a.status) props.onChanged();
        if (fresh.status === "connected" || fresh.status === "scanning") finish(fresh);
      },
    ),
  );

  return (
    <Switch>
      <Match when={!committed()}>
        <div class={styles.choose}>
          <Select
            label="Permissions"
            options={VARIANTS}
            value={variant()}
            onChange={(v) => setVariant(v)}
            hint={VARIANTS.find((v) => v.value === variant())?.hint}
          />
          <p class={styles.muted}>
            How do you want to deploy the stack? Console prepares the connection (its external id) when you choose.
          </p>
          <div class={styles.buttons}>
            <Button
              variant="primary"
              icon={<ExternalLink aria-hidden="true" />}
              loading={committing() === "quick"}
              disabled={!!committing()}
              onClick={() => void commit("quick")}
            >
              Open AWS CloudFormation
              <span class="visually-hidden"> (opens in a new tab)</span>
            </Button>
            <Button loading={committing() === "manual"} disabled={!!committing()} onClick={() => void commit("manual")}>
              Create the stack myself
            </Button>
            <ButtonAnchor
              variant="ghost"
              href={api.templateUrl(variant())}
              download={`console-template-${variant()}.json`}
              icon={<Download aria-hidden="true" />}
            >
              Download template
            </ButtonAnchor>
          </div>
        </div>
      </Match>
      <Match when={loadError() && !info()}>
        <FormError>{describeError(loadError())}</FormError>
        <div>
          <Button onClick={() => void start()}>Try again</Button>
        </div>
      </Match>
      <Match when={!info()}>
        <div class={styles.skeleton} role="status" aria-busy="true" aria-label="Preparing the connection">
          <Skeleton width="lg" />
          <Skeleton width="full" />
          <Skeleton width="full" />
          <Skeleton width="md" />
        </div>
      </Match>
      <Match when={info()}>
        {(connect) => (
          <>
          <Show when={!fresh() && account()}>
            {(a) => (
              <p class={styles.resume}>
                <span>
                  Continuing the connection started <RelativeTime time={a().timeCreated} />.
                </span>
                <Button size="sm" variant="ghost" onClick={() => void start(true)}>
                  Start a new connection
                </Button>
              </p>
            )}
          </Show>
          <ol class={styles.steps}>
            <li class={styles.step}>
              <h3 class={styles.stepTitle}>
                <span class={styles.stepNumber} aria-hidden="true">
                  1
                </span>
                Deploy the stack in {connect().region}
              </h3>
              <Select
                label="Permissions"
                options={VARIANTS}
                value={variant()}
                onChange={(v) => void chooseVariant(v)}
                hint={VARIANTS.find((v) => v.value === variant())?.hint}
              />
              <div class={styles.buttons}>
                <Show when={connect().quickCreateUrl}>
                  {(url) => (
                    <ButtonAnchor variant="primary" href={url()} newTab icon={<ExternalLink aria-hidden="true" />}>
                      Open AWS CloudFormation
                      <span class="visually-hidden"> (opens in a new tab)</span>
                    </ButtonAnchor>
                  )}
                </Show>
                <ButtonAnchor
                  href={api.templateUrl(variant())}
                  download={`console-template-${variant()}.json`}
                  icon={<Download aria-hidden="true" />}
                >
                  Download template
                </ButtonAnchor>
              </div>
              <p class={styles.muted}>
                <Show
                  when={connect().quickCreateUrl}
                  fallback={
                    <>
                      In the CloudFormation console of <strong>{connect().region}</strong>, create a stack from the
                      template with this name and these parameters.
                    </>
                  }
                >
                  The link fills these in. To create the stack yourself, use this name and these parameters in{" "}
                  <strong>{connect().region}</strong>.
                </Show>
              </p>
              <Parameters info={connect()} />
            </li>
            <li class={styles.step}>
              <h3 class={styles.stepTitle}>
                <span class={styles.stepNumber} aria-hidden="true">
                  2
                </span>
                {connect().callback ? "Wait for the stack" : "Check the account"}
              </h3>
              <Show when={connect().callback}>
                <StackStatus account={account()} />
              </Show>
              <CheckForm
                workspaceId={props.workspaceId}
                account={account()}
                callback={connect().callback}
                onAccount={(a) => {
                  setAccount(a);
                  props.onChanged();
                }}
                onConnected={finish}
              />
            </li>
          </ol>
          </>
        )}
      </Match>
    </Switch>
  );
}

function Parameters(props: { info: ConnectInfo }) {
  const [revealed, setRevealed] = createSignal(false);
  const entries = () => {
    const params = props.info.parameters as Record<string, string | undefined>;
    const names = [
      ...PARAMETER_ORDER.filter((n) => params[n] !== undefined),
      ...Object.keys(params).filter((n) => !PARAMETER_ORDER.includes(n)),
    ];
    return [{ name: "Stack name", value: props.info.stackName }, ...names.map((name) => ({ name, value: params[name] ?? "" }))];
  };
  return (
    <dl class={styles.params} aria-label="Stack parameters">
      <For each={entries()}>
        {(entry) => {
          const secret = entry.name === "ExternalId";
          return (
            <div class={styles.param}>
              <dt class={styles.paramName}>{entry.name}</dt>
              <dd class={styles.paramValue}>
                <Show
                  when={!secret || revealed()}
                  fallback={
                    <>
                      <span class={styles.masked} aria-hidden="true">
                        ••••••••••••••••
                      </span>
                      <span class="visually-hidden">Hidden</span>
                    </>
                  }
                >
                  {entry.value}
                </Show>
              </dd>
              <div class={styles.paramActions}>
                <Show when={secret}>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={revealed() ? "Hide ExternalId" : "Show ExternalId"}
                    aria-pressed={revealed()}
                    title={revealed() ? "Hide" : "Show"}
                    icon={revealed() ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
                    onClick={() => setRevealed(!revealed())}
                  />
                </Show>
                <CopyButton value={entry.value} label={entry.name} />
              </div>
            </div>
          );
        }}
      </For>
    </dl>
  );
}

function StackStatus(props: { account: Account | undefined }) {
  return (
    <div class={styles.waiting} role="status">
      <Switch
        fallback={
          <>
            <LoaderCircle class={styles.spin} aria-hidden="true" />
            <span>
              Waiting for the stack… When it finishes (a minute or two after you create it), it tells Console and this
              account is connected.
            </span>
          </>
        }
      >
        <Match when={props.account?.status === "connected" || props.account?.status === "scanning"}>
          <span class={styles.success}>
            <CircleCheck aria-hidden="true" />
          </span>
          <span>Connected to account {props.account?.accountId}.</span>
        </Match>
        <Match when={props.account?.status === "failed"}>
          <span>The stack reported back, but Console could not use the role. See below, fix it and check again.</span>
        </Match>
      </Switch>
    </div>
  );
}

function CheckForm(props: {
  workspaceId: string;
  account: Account | undefined;
  callback: boolean;
  onAccount: (account: Account) => void;
  onConnected: (account: Account) => void;
}) {
  const [value, setValue] = createSignal(props.account?.accountId ?? "");
  const [fieldError, setFieldError] = createSignal<string | null>(null);
  const [formError, setFormError] = createSignal<string | null>(
    props.account?.status === "failed" ? props.account.reason : null,
  );
  const [busy, setBusy] = createSignal(false);

  const submit = async () => {
    const a = props.account;
    if (!a || busy()) return;
    const id = value().replace(/[\s-]/g, "");
    if (!ACCOUNT_ID.test(id)) {
      setFieldError("An AWS account id has 12 digits.");
      return;
    }
    setFieldError(null);
    setFormError(null);
    setBusy(true);
    try {
      const connected = await api.accounts.check(props.workspaceId, a.id, id);
      props.onConnected(connected);
    } catch (err) {
      const e = toApiError(err);
      // 403 carries the AWS reason (the role could not be assumed); 409 says why it conflicts.
      if (e.status === 403 || e.status === 409) setFormError(e.message);
      else if (e.code === "validation") setFieldError(fieldErrors(e).accountId ?? describeError(e));
      else setFormError(describeError(e));
      try {
        props.onAccount(await api.accounts.get(props.workspaceId, a.id));
      } catch {
        // The list shows the state on its next load.
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label="Check the account"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p class={styles.muted}>
        {props.callback
          ? "Or, once the stack is created, check the account yourself:"
          : "When the stack is created, enter the id of the AWS account you deployed it in. Console assumes the role to check it."}
      </p>
      <div class={styles.check}>
        <Input
          label="AWS account id"
          name="accountId"
          class={styles.accountInput}
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          placeholder="123456789012"
          maxLength={14}
          mono
          value={value()}
          error={fieldError()}
          onInput={(e) => {
            setValue(e.currentTarget.value);
            if (fieldError()) setFieldError(null);
          }}
        />
        <div class={styles.submit}>
          <span class={styles.spacer} aria-hidden="true">
            &nbsp;
          </span>
          <Button type="submit" variant={props.callback ? "secondary" : "primary"} loading={busy()}>
            Check
          </Button>
        </div>
      </div>
      <FormError>{formError()}</FormError>
    </form>
  );
}
