/**
 * Settings → Alerts: destinations (webhooks with their secret shown once and rotatable,
 * Slack channels, email), rules (events, app and stage globs, destinations), Slack
 * connect and disconnect, and the delivery history. Members read; admins manage.
 */
import { For, Show, createSignal } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import { Dialog } from "../../components/Dialog";
import { ErrorState } from "../../components/ErrorState";
import { FormError } from "../../components/FormError";
import { Input } from "../../components/Input";
import { Page, PageHeader, Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Select } from "../../components/Select";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import {
  alertsApi,
  useAlertsMutation,
  useDeliveries,
  useDestinations,
  useRules,
  useSlack,
  useSlackChannels,
  type AlertEvent,
  type Delivery,
  type Destination,
  type NewDestination,
  type Rule,
  type SlackChannel,
  type SlackStatus,
} from "../../data/alerts";
import { useWorkspace } from "../../layout/workspace-context";
import { describeError, toApiError } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import styles from "./Settings.module.css";

const EVENTS: { value: AlertEvent; label: string }[] = [
  { value: "issue.new", label: "New issue" },
  { value: "issue.regression", label: "Regression" },
  { value: "issue.rate_limited", label: "Rate limit" },
  { value: "subscription.warning", label: "Subscription warning" },
  { value: "deploy.failed", label: "Deploy failed" },
];

const globs = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function target(d: Destination) {
  if (d.url) return d.url;
  if (d.channel) return `#${d.channel.name}`;
  if (d.recipients) return [d.recipients.allMembers ? "All members" : "", ...d.recipients.addresses].filter(Boolean).join(", ") || "Chosen members";
  return "";
}

export default function Alerts() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Alerts" }]);
  const id = () => workspace().id;
  const destinationsQuery = useDestinations(id);
  const destinations = { get data() { return destinationsQuery.data as Destination[] | undefined; }, get error() { return destinationsQuery.error; }, refetch: () => destinationsQuery.refetch() };
  const rules = useRules(id);
  const deliveries = useDeliveries(id);
  const slackQuery = useSlack(id);
  const slack = { data: () => slackQuery.data as SlackStatus | undefined };
  const [secret, setSecret] = createSignal<{ name: string; secret: string } | null>(null);
  const [addDestination, setAddDestination] = createSignal(false);
  const [addRule, setAddRule] = createSignal(false);

  const test = useAlertsMutation(id, (ws, d: Destination) => alertsApi.test(ws, d.id));
  const rotate = useAlertsMutation(id, (ws, d: Destination) => alertsApi.rotate(ws, d.id));
  const removeDestination = useAlertsMutation(id, (ws, d: Destination) => alertsApi.removeDestination(ws, d.id));
  const removeRule = useAlertsMutation(id, (ws, r: Rule) => alertsApi.removeRule(ws, r.id));
  const disconnect = useAlertsMutation(id, (ws, _: void) => alertsApi.slackDisconnect(ws));

  const run = async <T,>(fn: () => Promise<T>, ok?: (value: T) => string | undefined) => {
    try {
      const value = await fn();
      const message = ok?.(value);
      if (message) toast.success(message);
    } catch (err) {
      toast.error(err);
    }
  };

  const sendTest = (d: Destination) =>
    run(
      () => test.mutateAsync(d),
      (r) => {
        if (!r.ok) toast.error(new Error(`Test failed: ${r.error?.message ?? r.error?.code ?? "error"}`));
        return r.ok ? `Test alert sent to ${d.name}` : undefined;
      },
    );

  const connectSlack = () =>
    run(async () => {
      const { url } = await alertsApi.slackInstall(id());
      window.location.assign(url);
    });

  const name = (destinationId: string) => destinations.data?.find((d) => d.id === destinationId)?.name ?? "(removed)";

  const destinationColumns: Column<Destination>[] = [
    { key: "name", header: "Destination", cell: (d) => <span class={styles.target}><span>{d.name}</span><span class={styles.targetType}>{d.type} · {target(d)}</span></span> },
    {
      key: "status",
      header: "Status",
      width: "lg",
      cell: (d) => (
        <Show when={d.warning} fallback={<Badge tone="success">{d.timeLastSuccess ? "Working" : "No deliveries yet"}</Badge>}>
          {(w) => (
            <span class={styles.target} role="status">
              <Badge tone="warning" title={w().message}>Failing: {w().code}</Badge>
              <span class={styles.targetType}>{w().message}</span>
            </span>
          )}
        </Show>
      ),
    },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "lg",
      align: "end",
      cell: (d) => (
        <Show when={isAdmin()}>
          <span class={styles.actions}>
            <Button size="sm" variant="ghost" aria-label={`Send a test to ${d.name}`} onClick={() => void sendTest(d)}>
              Send test
            </Button>
            <Show when={d.type === "webhook"}>
              <Button size="sm" variant="ghost" aria-label={`Rotate the secret of ${d.name}`} onClick={() => void run(() => rotate.mutateAsync(d), (r) => (setSecret({ name: d.name, secret: r.secret }), undefined))}>
                Rotate secret
              </Button>
            </Show>
            <Button size="sm" variant="dangerGhost" aria-label={`Remove ${d.name}`} onClick={() => void run(() => removeDestination.mutateAsync(d), () => `${d.name} removed`)}>
              Remove
            </Button>
          </span>
        </Show>
      ),
    },
  ];

  const ruleColumns: Column<Rule>[] = [
    { key: "events", header: "Events", cell: (r) => <span>{r.events.map((e) => EVENTS.find((x) => x.value === e)?.label ?? e).join(", ")}</span> },
    { key: "where", header: "Apps / stages", width: "lg", cell: (r) => <span class={styles.action}>{r.apps.join(", ")} / {r.stages.join(", ")}{r.personalStages ? " (incl. personal)" : ""}</span> },
    { key: "to", header: "Destinations", width: "lg", cell: (r) => <span>{r.destinations.map(name).join(", ")}</span> },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "sm",
      align: "end",
      cell: (r) => (
        <Show when={isAdmin()}>
          <Button size="sm" variant="dangerGhost" aria-label={`Remove rule ${r.name}`} onClick={() => void run(() => removeRule.mutateAsync(r), () => "Rule removed")}>
            Remove
          </Button>
        </Show>
      ),
    },
  ];

  const deliveryColumns: Column<Delivery>[] = [
    { key: "time", header: "When", width: "md", cell: (d) => <RelativeTime time={d.timeCreated} /> },
    { key: "event", header: "Event", width: "md", cell: (d) => <span class={styles.action}>{d.event}</span> },
    { key: "destination", header: "Destination", cell: (d) => <span>{name(d.destinationId)}</span> },
    {
      key: "status",
      header: "Status",
      width: "lg",
      cell: (d) => (
        <span class={styles.target}>
          <Badge tone={d.status === "sent" ? "success" : d.status === "failed" ? "danger" : "warning"}>{d.status}</Badge>
          <Show when={d.error}>
            <span class={styles.targetType}>{d.error}</span>
          </Show>
        </span>
      ),
    },
  ];

  return (
    <Page>
      <PageHeader
        title="Alerts"
        description="New issues, regressions and rate limits reach the people who need them: on Slack, by email, or as signed webhooks. At most one alert per issue per 30 minutes; ignored issues never alert."
      />

      <Section
        title="Slack"
        id="slack"
        description={slack.data()?.connected ? `Connected to ${slack.data()?.team?.name}.` : slack.data()?.configured === false ? "This console has no Slack app configured (SlackClientId, SlackClientSecret)." : "Connect a Slack workspace, then add channels as destinations."}
        actions={
          <Show when={isAdmin() && slack.data()?.configured}>
            <Show when={slack.data()?.connected} fallback={<Button onClick={() => void connectSlack()}>Connect Slack</Button>}>
              <Button variant="dangerGhost" onClick={() => void run(() => disconnect.mutateAsync(), () => "Slack disconnected")}>
                Disconnect Slack
              </Button>
            </Show>
          </Show>
        }
      >
        <></>
      </Section>

      <Section
        title="Destinations"
        id="destinations"
        description="Where alerts go. A destination whose last delivery failed shows why until a delivery succeeds."
        actions={
          <Show when={isAdmin()}>
            <Button variant="primary" onClick={() => setAddDestination(true)}>
              Add destination
            </Button>
          </Show>
        }
      >
        <Show when={!destinations.error || destinations.data} fallback={<ErrorState title="Could not load the destinations" error={destinations.error} onRetry={() => destinations.refetch()} />}>
          <Table label="Destinations" columns={destinationColumns} rows={destinations.data} rowKey={(d) => d.id} loading={!destinations.data} empty="No destinations." />
        </Show>
      </Section>

      <Section
        title="Rules"
        id="rules"
        description="Which events go where, by app and stage (globs such as prod*)."
        actions={
          <Show when={isAdmin()}>
            <Button variant="primary" onClick={() => setAddRule(true)} disabled={!destinations.data?.length}>
              Add rule
            </Button>
          </Show>
        }
      >
        <Show when={!rules.error || rules.data} fallback={<ErrorState title="Could not load the rules" error={rules.error} onRetry={() => rules.refetch()} />}>
          <Table label="Rules" columns={ruleColumns} rows={rules.data} rowKey={(r) => r.id} loading={!rules.data} empty="No rules: nothing alerts." />
        </Show>
      </Section>

      <Section title="Delivery history" id="deliveries" description="The latest 50 deliveries, with their status per destination.">
        <Table label="Delivery history" columns={deliveryColumns} rows={deliveries.data} rowKey={(d) => d.id} loading={!deliveries.data} empty="Nothing sent yet." />
      </Section>

      <DestinationDialog open={addDestination()} onClose={() => setAddDestination(false)} workspaceId={id()} slackConnected={!!slack.data()?.connected} onSecret={setSecret} />
      <RuleDialog open={addRule()} onClose={() => setAddRule(false)} workspaceId={id()} destinations={destinations.data ?? []} />

      <Dialog
        open={secret() !== null}
        onClose={() => setSecret(null)}
        title="Signing secret"
        description={`The secret of ${secret()?.name ?? ""}. It is shown this once: keep it where your endpoint verifies signatures (Standard Webhooks).`}
        footer={<Button variant="primary" onClick={() => setSecret(null)}>Done</Button>}
      >
        <code class={styles.action} data-testid="webhook-secret">{secret()?.secret}</code>
        <CopyButton value={secret()?.secret ?? ""} label="Copy secret" />
      </Dialog>
    </Page>
  );
}

function DestinationDialog(props: { open: boolean; onClose: () => void; workspaceId: string; slackConnected: boolean; onSecret: (s: { name: string; secret: string }) => void }) {
  const [type, setType] = createSignal<"webhook" | "email" | "slack">("webhook");
  const [name, setName] = createSignal("");
  const [url, setUrl] = createSignal("");
  const [channel, setChannel] = createSignal("");
  const [addresses, setAddresses] = createSignal("");
  const [allMembers, setAllMembers] = createSignal(true);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const channelsQuery = useSlackChannels(() => props.workspaceId, () => props.open && type() === "slack" && props.slackConnected);
  const channels = { get data() { return channelsQuery.data as SlackChannel[] | undefined; } };
  const create = useAlertsMutation(() => props.workspaceId, (ws, input: NewDestination) => alertsApi.createDestination(ws, input));

  const close = () => {
    setName("");
    setUrl("");
    setError();
    props.onClose();
  };
  const submit = async () => {
    setBusy(true);
    setError();
    try {
      const input: NewDestination =
        type() === "webhook"
          ? { type: "webhook", name: name(), url: url() }
          : type() === "slack"
            ? { type: "slack", channel: channel() || channels.data?.[0]?.id || "" }
            : { type: "email", name: name(), allMembers: allMembers(), addresses: globs(addresses()) };
      const created = await create.mutateAsync(input);
      close();
      if ("secret" in created && created.secret) props.onSecret({ name: created.name, secret: created.secret });
      else toast.success(`${created.name} added`);
    } catch (err) {
      setError(describeError(toApiError(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      title="Add destination"
      onSubmit={() => void submit()}
      footer={
        <>
          <Button onClick={close} disabled={busy()}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy()}>Add destination</Button>
        </>
      }
    >
      <Select
        label="Type"
        options={[
          { value: "webhook", label: "Webhook" },
          { value: "email", label: "Email" },
          { value: "slack", label: "Slack channel", disabled: !props.slackConnected },
        ]}
        value={type()}
        onChange={setType}
      />
      <Show when={type() !== "slack"}>
        <Input label="Name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Show>
      <Show when={type() === "webhook"}>
        <Input label="URL" type="url" mono placeholder="https://example.com/hooks/console" value={url()} onInput={(e) => setUrl(e.currentTarget.value)} />
      </Show>
      <Show when={type() === "slack"}>
        <Select label="Channel" options={(channels.data ?? []).map((c) => ({ value: c.id, label: `#${c.name}` }))} value={channel() || channels.data?.[0]?.id || ""} onChange={setChannel} />
      </Show>
      <Show when={type() === "email"}>
        <label class={styles.who}>
          <input type="checkbox" checked={allMembers()} onChange={(e) => setAllMembers(e.currentTarget.checked)} /> All members
        </label>
        <Input label="Other addresses" hint="Comma-separated" value={addresses()} onInput={(e) => setAddresses(e.currentTarget.value)} />
      </Show>
      <FormError>{error()}</FormError>
    </Dialog>
  );
}

function RuleDialog(props: { open: boolean; onClose: () => void; workspaceId: string; destinations: Destination[] }) {
  const [events, setEvents] = createSignal<AlertEvent[]>(["issue.new", "issue.regression"]);
  const [apps, setApps] = createSignal("*");
  const [stages, setStages] = createSignal("*");
  const [personal, setPersonal] = createSignal(false);
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const create = useAlertsMutation(() => props.workspaceId, (ws, input: Parameters<typeof alertsApi.createRule>[1]) => alertsApi.createRule(ws, input));
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v));

  const submit = async () => {
    setBusy(true);
    setError();
    try {
      await create.mutateAsync({ events: events(), apps: globs(apps()), stages: globs(stages()), personalStages: personal(), destinations: chosen() });
      toast.success("Rule added");
      props.onClose();
    } catch (err) {
      setError(describeError(toApiError(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title="Add rule"
      onSubmit={() => void submit()}
      footer={
        <>
          <Button onClick={props.onClose} disabled={busy()}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy()}>Add rule</Button>
        </>
      }
    >
      <fieldset>
        <legend>Events</legend>
        <For each={EVENTS}>
          {(e) => (
            <label class={styles.who}>
              <input type="checkbox" checked={events().includes(e.value)} onChange={(ev) => setEvents(toggle(events(), e.value, ev.currentTarget.checked))} /> {e.label}
            </label>
          )}
        </For>
      </fieldset>
      <Input label="Apps" hint="Globs, comma-separated (* for all)" mono value={apps()} onInput={(e) => setApps(e.currentTarget.value)} />
      <Input label="Stages" hint="Globs, comma-separated, e.g. prod*" mono value={stages()} onInput={(e) => setStages(e.currentTarget.value)} />
      <label class={styles.who}>
        <input type="checkbox" checked={personal()} onChange={(e) => setPersonal(e.currentTarget.checked)} /> Include personal stages
      </label>
      <fieldset>
        <legend>Destinations</legend>
        <For each={props.destinations}>
          {(d) => (
            <label class={styles.who}>
              <input type="checkbox" checked={chosen().includes(d.id)} onChange={(ev) => setChosen(toggle(chosen(), d.id, ev.currentTarget.checked))} /> {d.name}
            </label>
          )}
        </For>
      </fieldset>
      <FormError>{error()}</FormError>
    </Dialog>
  );
}
