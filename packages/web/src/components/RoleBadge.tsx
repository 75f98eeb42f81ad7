import type { Role } from "../lib/api";
import { Badge } from "./Badge";

export const ROLE_LABEL: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };

export function RoleBadge(props: { role: Role }) {
  return <Badge tone={props.role === "owner" ? "accent" : "neutral"}>{ROLE_LABEL[props.role] ?? props.role}</Badge>;
}
