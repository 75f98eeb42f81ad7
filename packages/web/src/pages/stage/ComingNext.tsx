import type { JSX } from "solid-js";
import { Badge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";

/** A stage tab that is not built yet: what it will show. */
export function ComingNext(props: { icon: JSX.Element; title: string; children: JSX.Element }) {
  return (
    <EmptyState icon={props.icon} title={props.title} action={<Badge>Coming next</Badge>}>
      {props.children}
    </EmptyState>
  );
}
