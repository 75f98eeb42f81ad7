/**
 * The app's targets: which branches deploy which stage, in which AWS account and region
 * (first matching rule wins), pull request stages on or off, and environment variables and
 * secrets per stage (secrets are write-only: a stored one shows as "set" and can be
 * replaced). Checked as typed once a save was tried; the server's `validation` answer lands
 * on the same fields. Owners and admins save; members read.
 */
import Plus from "lucide-solid/icons/plus";
import X from "lucide-solid/icons/x";
import { For, Index, Match, Show, Switch, createMemo, createSignal, createUniqueId } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import { A } from "@solidjs/router";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ErrorState } from "../../components/ErrorState";
import { FormError } from "../../components/FormError";
import { Input } from "../../components/Input";
import { Card, Section } from "../../components/Page";
import { Select } from "../../components/Select";
import { SkeletonRows } from "../../components/Skeleton";
import { toast } from "../../components/Toast";
import { useAccounts } from "../../data/accounts";
import { useSaveTargets, useTargets } from "../../data/autodeploy";
import { useWorkspace } from "../../layout/workspace-context";
import { accountLabel } from "../../lib/accounts";
import { describeError, fieldErrors, toApiError, type Targets } from "../../lib/api";
import {
  deployableAccounts,
  draftChanged,
  draftOf,
  newBranchRow,
  newVariableRow,
  previewBranch,
  targetsOf,
  validateTargets,
  type TargetsDraft,
} from "../../lib/autodeploy";
import { useApp } from "./app-context";
import { ADMIN_ONLY } from "./RepositorySection";
import styles from "./Autodeploy.module.css";

/** Regions offered as you type (any region can be entered). */
const COMMON_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "sa-east-1",
];

export function TargetsSection() {
  const { workspace } = useWorkspace();
  const { app } = useApp();
  const targets = useTargets(
    () => workspace().id,
    () => app().id,
  );
  return (
    <Section
      title="Targets"
      id="targets"
      description="Which pushes deploy which stage, where. Rules are tried in order; the first whose branch pattern matches wins. Nothing deploys until a rule names an AWS account."
    >
      <Switch>
        <Match when={targets.error && !targets.data}>
          <ErrorState title="Could not load the targets" error={targets.error} onRetry={() => targets.refetch()} />
        </Match>
        <Match when={!targets.data}>
          <SkeletonRows rows={3} columns={4} label="Loading the targets" />
        </Match>
        <Match when={targets.data}>{(t) => <TargetsForm stored={t()} />}</Match>
      </Switch>
    </Section>
  );
}

function TargetsForm(props: { stored: Targets }) {
  const { workspace, isAdmin } = useWorkspace();
  const { app, stages } = useApp();
  const accounts = useAccounts(() => workspace().id);
  const save = useSaveTargets(
    () => workspace().id,
    () => app().id,
  );
  const regionList = `regions-${createUniqueId()}`;
  // Where this app already runs: the first choice for new rules.
  const home = () => {
    const first = stages().find((s) => !s.personal) ?? stages()[0];
    return { connectionId: first?.connectionId ?? "", region: first?.region ?? "" };
  };
  // The stored targets as loaded when the form opened (and as saved since).
  const [saved, setSaved] = createSignal(props.stored);
  const [draft, setDraft] = createStore<TargetsDraft>(draftOf(props.stored, home()));
  const [tried, setTried] = createSignal(false);
  const [serverErrors, setServerErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [tryBranch, setTryBranch] = createSignal("");

  const deployable = () => deployableAccounts(accounts.data);
  const localErrors = createMemo(() => validateTargets(draft, accounts.data));
  const errors = () => (tried() ? { ...serverErrors(), ...localErrors() } : serverErrors());
  const changed = () => draftChanged(draft, saved());
  const editable = () => isAdmin() && !save.isPending;
  const regions = () => [...new Set([...stages().map((s) => s.region), ...COMMON_REGIONS])];

  const accountOptions = (current: string) => {
    const options = deployable().map((a) => ({ value: a.id, label: accountLabel(a) }));
    if (!current) return [{ value: "", label: deployable().length ? "Choose an account" : "No connected account", disabled: true }, ...options];
    if (!options.some((o) => o.value === current)) return [{ value: current, label: "An account no longer connected", disabled: true }, ...options];
    return options;
  };

  const edit = (fn: (d: TargetsDraft) => void) => {
    setDraft(produce(fn));
    if (Object.keys(serverErrors()).length) setServerErrors({});
    setFormError(null);
  };

  const submit = async () => {
    setTried(true);
    setFormError(null);
    if (Object.keys(localErrors()).length) {
      setFormError("Some fields need a change before saving.");
      return;
    }
    try {
      const answer = await save.mutateAsync(targetsOf(draft));
      setSaved(answer);
      setDraft(reconcile(draftOf(answer, home())));
      setTried(false);
      setServerErrors({});
      toast.success("Targets saved");
    } catch (err) {
      const fields = fieldErrors(err);
      setServerErrors(fields);
      setFormError(Object.keys(fields).length ? "Some fields need a change before saving." : describeError(err));
      if (toApiError(err).code !== "validation") toast.error(err);
    }
  };

  const discard = () => {
    setDraft(reconcile(draftOf(saved(), home())));
    setTried(false);
    setServerErrors({});
    setFormError(null);
  };

  const preview = createMemo(() => (tryBranch().trim() ? previewBranch(draft, tryBranch().trim()) : undefined));

  return (
    <Card
      as="form"
      aria-label="Targets"
      onSubmit={() => void submit()}
      footer={
        <div class={styles.footer}>
          <span>{isAdmin() ? (changed() ? "Unsaved changes." : "Saved.") : ADMIN_ONLY}</span>
          <span class={styles.actions}>
            <Show when={isAdmin() && changed()}>
              <Button variant="ghost" onClick={discard} disabled={save.isPending}>
                Discard changes
              </Button>
            </Show>
            <Button type="submit" variant="primary" loading={save.isPending} disabled={!isAdmin() || !changed()} title={isAdmin() ? undefined : ADMIN_ONLY}>
              Save targets
            </Button>
          </span>
        </div>
      }
    >
      <datalist id={regionList}>
        <For each={regions()}>{(r) => <option value={r} />}</For>
      </datalist>
      <div class={styles.form}>
        <Show when={accounts.data && deployable().length === 0}>
          <p class={styles.help}>
            No AWS account is connected: a target deploys into a connected account.{" "}
            <A href={`/${workspace().slug}/settings/accounts`}>Go to AWS accounts</A>
          </p>
        </Show>

        <fieldset class={styles.group}>
          <legend>Branches</legend>
          <p class={styles.help}>
            A pattern: <code>main</code>, <code>release/*</code> (one level), <code>**</code> (every branch). The stage may use{" "}
            <code>{"{branch}"}</code> for the branch's name.
          </p>
          <Show
            when={draft.branches.length > 0}
            fallback={<p class={styles.help}>No rule: pushes deploy nothing. SST's defaults deploy every branch to a stage of its name, and each pull request to its own stage.</p>}
          >
            <ol class={styles.rules} aria-label="Branch rules">
              <Index each={draft.branches}>
                {(rule, i) => (
                  <li class={styles.rule} aria-label={`Rule ${i + 1}`}>
                    <Input
                      label="Branch"
                      mono
                      value={rule().branch}
                      placeholder="main"
                      disabled={!editable()}
                      error={errors()[`branches.${i}.branch`]}
                      onInput={(e) => edit((d) => void (d.branches[i]!.branch = e.currentTarget.value))}
                      autocomplete="off"
                      spellcheck={false}
                    />
                    <Input
                      label="Stage"
                      mono
                      value={rule().stage}
                      placeholder="{branch}"
                      disabled={!editable()}
                      error={errors()[`branches.${i}.stage`]}
                      onInput={(e) => edit((d) => void (d.branches[i]!.stage = e.currentTarget.value))}
                      autocomplete="off"
                      spellcheck={false}
                    />
                    <Select
                      label="AWS account"
                      value={rule().connectionId}
                      options={accountOptions(rule().connectionId)}
                      disabled={!editable()}
                      error={errors()[`branches.${i}.connectionId`]}
                      onChange={(v) => edit((d) => void (d.branches[i]!.connectionId = v))}
                    />
                    <Input
                      label="Region"
                      mono
                      list={regionList}
                      value={rule().region}
                      placeholder="us-east-1"
                      disabled={!editable()}
                      error={errors()[`branches.${i}.region`]}
                      onInput={(e) => edit((d) => void (d.branches[i]!.region = e.currentTarget.value))}
                      autocomplete="off"
                      spellcheck={false}
                    />
                    <Show when={isAdmin()}>
                      <Button
                        class={styles.removeRow}
                        variant="ghost"
                        icon={<X aria-hidden="true" />}
                        aria-label={`Remove rule ${i + 1}`}
                        disabled={!editable()}
                        onClick={() => edit((d) => void d.branches.splice(i, 1))}
                      />
                    </Show>
                  </li>
                )}
              </Index>
            </ol>
          </Show>
          <Show when={isAdmin()}>
            <div class={styles.actions}>
              <Button size="sm" icon={<Plus aria-hidden="true" />} disabled={!editable()} onClick={() => edit((d) => void d.branches.push(newBranchRow(home())))}>
                Add rule
              </Button>
              <Show when={draft.branches.length === 0}>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={!editable()}
                  onClick={() =>
                    edit((d) => {
                      d.branches.push(newBranchRow(home(), { branch: "**", stage: "{branch}" }));
                      d.pullRequests = { enabled: true, ...home() };
                    })
                  }
                >
                  Start from SST's defaults
                </Button>
              </Show>
            </div>
          </Show>
          <div class={styles.preview}>
            <Input
              label="Try a branch"
              mono
              size="sm"
              value={tryBranch()}
              placeholder="feature/login"
              onInput={(e) => setTryBranch(e.currentTarget.value)}
              autocomplete="off"
              spellcheck={false}
            />
            <Show when={preview() !== undefined}>
              <span class={styles.previewResult} role="status">
                <Show when={preview()} fallback="This branch deploys nothing.">
                  {(p) => (
                    <span>
                      Deploys stage <code>{p().stage}</code> (rule {p().rule + 1}).
                    </span>
                  )}
                </Show>
              </span>
            </Show>
          </div>
        </fieldset>

        <fieldset class={styles.group}>
          <legend>Pull requests</legend>
          <label class={styles.toggle}>
            <input
              type="checkbox"
              checked={draft.pullRequests.enabled}
              disabled={!editable()}
              onChange={(e) => edit((d) => void (d.pullRequests.enabled = e.currentTarget.checked))}
            />
            Deploy each pull request to its own stage, pr-&lt;number&gt;, removed when it closes
          </label>
          <p class={styles.help}>Pull requests from forks never deploy: their code would run with your account's role.</p>
          <Show when={draft.pullRequests.enabled}>
            <div class={styles.row}>
              <Select
                class={styles.grow}
                label="AWS account for pull requests"
                value={draft.pullRequests.connectionId}
                options={accountOptions(draft.pullRequests.connectionId)}
                disabled={!editable()}
                error={errors()["pullRequests.connectionId"]}
                onChange={(v) => edit((d) => void (d.pullRequests.connectionId = v))}
              />
              <Input
                class={styles.grow}
                label="Region for pull requests"
                mono
                list={regionList}
                value={draft.pullRequests.region}
                placeholder="us-east-1"
                disabled={!editable()}
                error={errors()["pullRequests.region"]}
                onInput={(e) => edit((d) => void (d.pullRequests.region = e.currentTarget.value))}
                autocomplete="off"
                spellcheck={false}
              />
            </div>
          </Show>
        </fieldset>

        <fieldset class={styles.group}>
          <legend>Environment</legend>
          <p class={styles.help}>
            Variables the run sets for <code>sst deploy</code>, per stage (a name, a pattern, or <code>*</code> for every stage).
            Secrets are stored encrypted and never shown again.
          </p>
          <Show when={draft.environment.length > 0}>
            <ol class={styles.rules} aria-label="Environment variables">
              <Index each={draft.environment}>
                {(v, i) => (
                  <li class={`${styles.rule} ${styles.variable}`} aria-label={`Variable ${i + 1}`}>
                    <Input
                      label="Stage"
                      mono
                      value={v().stage}
                      disabled={!editable()}
                      error={errors()[`environment.${i}.stage`]}
                      onInput={(e) => edit((d) => void (d.environment[i]!.stage = e.currentTarget.value))}
                      autocomplete="off"
                      spellcheck={false}
                    />
                    <Input
                      label="Name"
                      mono
                      value={v().name}
                      placeholder="API_URL"
                      disabled={!editable()}
                      error={errors()[`environment.${i}.name`]}
                      onInput={(e) => edit((d) => void (d.environment[i]!.name = e.currentTarget.value.toUpperCase()))}
                      autocomplete="off"
                      spellcheck={false}
                    />
                    <div class={styles.checkField}>
                      <span class={styles.checkLabel} aria-hidden="true">
                        Secret
                      </span>
                      <label class={styles.check}>
                        <input
                          type="checkbox"
                          checked={v().secret}
                          disabled={!editable() || (v().stored && !v().replacing)}
                          onChange={(e) =>
                            edit((d) => {
                              const row = d.environment[i]!;
                              row.secret = e.currentTarget.checked;
                              if (!row.secret) row.stored = false;
                            })
                          }
                        />
                        <span class="visually-hidden">Secret</span>
                      </label>
                    </div>
                    <Show
                      when={!(v().secret && v().stored && !v().replacing)}
                      fallback={
                        <div class={styles.checkField}>
                          <span class={styles.checkLabel}>Value</span>
                          <span class={styles.secretSet}>
                            <Badge tone="success" title="The value is stored encrypted; it is never shown">
                              Set
                            </Badge>
                            <Show when={isAdmin()}>
                              <Button size="sm" variant="ghost" disabled={!editable()} onClick={() => edit((d) => void (d.environment[i]!.replacing = true))}>
                                Replace
                              </Button>
                            </Show>
                          </span>
                        </div>
                      }
                    >
                      <Input
                        label="Value"
                        mono
                        type={v().secret ? "password" : "text"}
                        value={v().value}
                        placeholder={v().secret ? "Write-only" : ""}
                        disabled={!editable()}
                        error={errors()[`environment.${i}.value`]}
                        onInput={(e) => edit((d) => void (d.environment[i]!.value = e.currentTarget.value))}
                        autocomplete={v().secret ? "new-password" : "off"}
                        spellcheck={false}
                      />
                    </Show>
                    <Show when={isAdmin()}>
                      <Button
                        class={styles.removeRow}
                        variant="ghost"
                        icon={<X aria-hidden="true" />}
                        aria-label={`Remove variable ${v().name || i + 1}`}
                        disabled={!editable()}
                        onClick={() => edit((d) => void d.environment.splice(i, 1))}
                      />
                    </Show>
                  </li>
                )}
              </Index>
            </ol>
          </Show>
          <Show when={isAdmin()}>
            <div class={styles.actions}>
              <Button size="sm" icon={<Plus aria-hidden="true" />} disabled={!editable()} onClick={() => edit((d) => void d.environment.push(newVariableRow()))}>
                Add variable
              </Button>
            </div>
          </Show>
        </fieldset>
        <FormError>{formError()}</FormError>
      </div>
    </Card>
  );
}
