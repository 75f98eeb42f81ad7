/** The invoke panel (filled in with the invoke API). */
import type { LambdaFunction } from "../../lib/api";

export function InvokePanel(_props: { fn: LambdaFunction }) {
  return null;
}
