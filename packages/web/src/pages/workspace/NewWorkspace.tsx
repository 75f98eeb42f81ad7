/** Create a workspace: a name, and a URL slug derived from it (editable). */
import { useNavigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { Button } from "../../components/Button";
import { Input } from "../../components/Input";
import { Card, Page, PageHeader } from "../../components/Page";
import { toast } from "../../components/Toast";
import { FormError } from "../../components/FormError";
import { api, describeError, fieldErrors, toApiError } from "../../lib/api";
import { setLastWorkspace, useMe, useSession } from "../../data/session";
import { slugProblem, slugify } from "../../lib/slug";

export default function NewWorkspace() {
  const navigate = useNavigate();
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  const [name, setName] = createSignal("");
  const [slug, setSlug] = createSignal("");
  const [slugEdited, setSlugEdited] = createSignal(false);
  const [errors, setErrors] = createSignal<{ name?: string; slug?: string; form?: string }>({});
  const [busy, setBusy] = createSignal(false);

  const first = () => (me()?.workspaces.length ?? 0) === 0;
  const origin = window.location.host + "/";

  const submit = async () => {
    const n = name().trim();
    const s = slug();
    const problems: { name?: string; slug?: string } = {};
    if (!n) problems.name = "Give the workspace a name.";
    else if (n.length > 100) problems.name = "Use at most 100 characters.";
    // A slug typed by the user must be valid; one derived from a short or unusual name is
    // left to the server, which makes a unique one.
    const sp = slugProblem(s);
    if (sp && slugEdited()) problems.slug = sp;
    setErrors(problems);
    if (problems.name || problems.slug) return;

    setBusy(true);
    try {
      const ws = await api.workspaces.create(sp ? { name: n } : { name: n, slug: s });
      const user = me()?.user;
      if (user) setLastWorkspace(user.id, ws.slug);
      await session.refresh();
      toast.success(`Workspace ${ws.name} created`);
      navigate(`/${ws.slug}`);
    } catch (err) {
      const e = toApiError(err);
      if (e.code === "slug_taken") {
        setSlugEdited(true);
        setErrors({ slug: "This URL is taken. Try another one." });
      }
      else if (e.code === "validation") {
        const fields = fieldErrors(e);
        setErrors({ name: fields.name, slug: fields.slug, form: fields.name || fields.slug ? undefined : describeError(e) });
      } else setErrors({ form: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page narrow>
      <PageHeader
        title={first() ? "Create your first workspace" : "Create workspace"}
        description="A workspace holds your team, your AWS accounts and the apps in them. You can rename it later."
      />
      <Card
        as="form"
        aria-label="Create workspace"
        onSubmit={() => void submit()}
        footerEnd
        footer={
          <>
            <Show when={!first()}>
              <Button onClick={() => history.back()}>Cancel</Button>
            </Show>
            <Button type="submit" variant="primary" loading={busy()}>
              Create workspace
            </Button>
          </>
        }
      >
        <Input
          label="Name"
          name="name"
          placeholder="Acme"
          autofocus
          autocomplete="organization"
          value={name()}
          error={errors().name}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setName(value);
            if (!slugEdited()) setSlug(slugify(value));
            if (errors().name) setErrors({ ...errors(), name: undefined });
          }}
        />
        <Input
          label="URL"
          name="slug"
          prefix={origin}
          placeholder="acme"
          autocomplete="off"
          spellcheck={false}
          value={slug()}
          error={errors().slug}
          hint={
            slug() && slugProblem(slug()) && !slugEdited()
              ? "A URL will be chosen from the name. Type one to pick it yourself."
              : "Lowercase letters, digits and dashes."
          }
          onInput={(e) => {
            setSlugEdited(true);
            setSlug(e.currentTarget.value.toLowerCase());
            if (errors().slug) setErrors({ ...errors(), slug: undefined });
          }}
        />
        <FormError>{errors().form}</FormError>
      </Card>
    </Page>
  );
}
