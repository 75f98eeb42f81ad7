/** Settings → General: who may invoke functions of non-personal stages (admins change it). */
import { Show } from "solid-js";
import { Card, Section } from "../../components/Page";
import { Select } from "../../components/Select";
import { toast } from "../../components/Toast";
import { useUpdateWorkspaceSettings, useWorkspaceSettings, type InvokeRole } from "../../data/invoke";
import { useWorkspace } from "../../layout/workspace-context";
import styles from "./Settings.module.css";

const OPTIONS: { value: InvokeRole; label: string }[] = [
  { value: "member", label: "All members" },
  { value: "admin", label: "Admins and owners only" },
];

export function InvokeSetting() {
  const { workspace, isAdmin } = useWorkspace();
  const settings = useWorkspaceSettings(() => workspace().id);
  const update = useUpdateWorkspaceSettings(() => workspace().id);
  const change = (invokeRole: InvokeRole) => {
    update.mutateAsync({ invokeRole }).then(
      () => toast.success(invokeRole === "admin" ? "Only admins and owners may invoke functions now" : "All members may invoke functions now"),
      (err: unknown) => toast.error(err),
    );
  };
  return (
    <Section title="Functions" id="functions-settings">
      <Card>
        <Select
          label="Who may invoke functions"
          value={update.isPending ? (update.variables?.invokeRole ?? "member") : (settings.data?.invokeRole ?? "member")}
          options={OPTIONS}
          disabled={!isAdmin() || !settings.data || update.isPending}
          onChange={change}
          hint="Invoking and replaying functions of non-personal stages from the console. Anyone may invoke the functions of personal stages. Every invoke is in the audit log."
        />
        <Show when={!isAdmin()}>
          <p class={styles.muted}>Only owners and admins can change this.</p>
        </Show>
      </Card>
    </Section>
  );
}
