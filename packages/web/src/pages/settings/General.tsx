/** General settings: rename the workspace, change its URL, delete it (owners). */
import { useNavigate } from "@solidjs/router";
import Trash from "lucide-solid/icons/trash";
import { Show, createEffect, createSignal, on } from "solid-js";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FormError } from "../../components/FormError";
import { Input } from "../../components/Input";
import { Card, Page, PageHeader, Section } from "../../components/Page";
import { toast } from "../../components/Toast";
import { useWorkspace } from "../../layout/workspace-context";
import { api, describeError, fieldErrors, toApiError } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { forgetLastWorkspace, setLastWorkspace, useMe, useSession } from "../../data/session";
import { slugProblem } from "../../lib/slug";
import { InvokeSetting } from "./InvokeSetting";
import styles from "./Settings.module.css";

export default function General() {
  const navigate = useNavigate();
  const ctx = useWorkspace();
  const { workspace, isAdmin, isOwner } = ctx;
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "General" }]);

  const [name, setName] = createSignal(workspace().name);
  const [slug, setSlug] = createSignal(workspace().slug);
  const [errors, setErrors] = createSignal<{ name?: string; slug?: string; form?: string }>({});
  const [saving, setSaving] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);

  // Follow the workspace when it changes elsewhere (another tab, a refetch).
  createEffect(
    on(
      () => [workspace().name, workspace().slug] as const,
      ([n, s]) => {
        setName(n);
        setSlug(s);
      },
      { defer: true },
    ),
  );

  const dirty = () => name().trim() !== workspace().name || slug() !== workspace().slug;
  const origin = window.location.host + "/";

  const save = async () => {
    const n = name().trim();
    const problems: { name?: string; slug?: string } = {};
    if (!n) problems.name = "Give the workspace a name.";
    else if (n.length > 100) problems.name = "Use at most 100 characters.";
    const sp = slugProblem(slug());
    if (sp) problems.slug = sp;
    setErrors(problems);
    if (problems.name || problems.slug || !dirty()) return;

    const before = workspace();
    const input: { name?: string; slug?: string } = {};
    if (n !== before.name) input.name = n;
    if (slug() !== before.slug) input.slug = slug();
    setSaving(true);
    try {
      const updated = await api.workspaces.update(before.id, input);
      ctx.update(updated);
      const user = me()?.user;
      if (user) setLastWorkspace(user.id, updated.slug);
      void session.refresh();
      toast.success("Workspace saved");
      if (updated.slug !== before.slug) navigate(`/${updated.slug}/settings/general`, { replace: true });
    } catch (err) {
      const e = toApiError(err);
      if (e.code === "slug_taken") setErrors({ slug: "This URL is taken. Try another one." });
      else if (e.code === "validation") {
        const fields = fieldErrors(e);
        setErrors({ name: fields.name, slug: fields.slug, form: fields.name || fields.slug ? undefined : describeError(e) });
      } else setErrors({ form: describeError(e) });
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    const ws = workspace();
    await api.workspaces.remove(ws.id);
    const user = me()?.user;
    if (user) forgetLastWorkspace(user.id, ws.slug);
    await session.refresh();
    toast.success(`Workspace ${ws.name} deleted`);
    navigate("/", { replace: true });
  };

  return (
    <Page>
      <PageHeader title="General" description="The name and address of this workspace." />

      <Card
        as="form"
        aria-label="Workspace"
        onSubmit={() => void save()}
        footer={
          <>
            <span>{isAdmin() ? "Changing the URL breaks links to the old one." : "Only owners and admins can change these."}</span>
            <Show when={isAdmin()}>
              <Button type="submit" variant="primary" loading={saving()} disabled={!dirty()}>
                Save
              </Button>
            </Show>
          </>
        }
      >
        <div class={styles.fieldsGrid}>
          <Input
            label="Workspace name"
            name="name"
            value={name()}
            disabled={!isAdmin()}
            error={errors().name}
            onInput={(e) => {
              setName(e.currentTarget.value);
              if (errors().name) setErrors({ ...errors(), name: undefined });
            }}
          />
          <Input
            label="URL"
            name="slug"
            prefix={origin}
            value={slug()}
            disabled={!isAdmin()}
            error={errors().slug}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => {
              setSlug(e.currentTarget.value.toLowerCase());
              if (errors().slug) setErrors({ ...errors(), slug: undefined });
            }}
          />
        </div>
        <FormError>{errors().form}</FormError>
      </Card>

      <InvokeSetting />

      <Section title="Danger zone" id="danger">
        <Card danger>
          <div class={styles.dangerRow}>
            <div class={styles.dangerText}>
              <h3>Delete workspace</h3>
              <p class={styles.muted}>
                {isOwner()
                  ? "Deletes the workspace with its members, invitations and settings. This cannot be undone."
                  : "Only an owner can delete this workspace."}
              </p>
            </div>
            <Button variant="danger" icon={<Trash aria-hidden="true" />} disabled={!isOwner()} onClick={() => setDeleting(true)}>
              Delete workspace
            </Button>
          </div>
        </Card>
      </Section>

      <ConfirmDialog
        open={deleting()}
        onClose={() => setDeleting(false)}
        title={`Delete ${workspace().name}`}
        confirmLabel="Delete workspace"
        danger
        requireText={workspace().slug}
        onConfirm={remove}
      >
        <p>
          This deletes <strong>{workspace().name}</strong> for everyone in it. Its members lose access at once. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
