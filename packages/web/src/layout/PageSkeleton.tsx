import { Skeleton, SkeletonRows } from "../components/Skeleton";
import styles from "./PageSkeleton.module.css";

/** What a page looks like while its code or data loads. */
export function PageSkeleton() {
  return (
    <div class={styles.page}>
      <Skeleton width="lg" />
      <SkeletonRows rows={4} columns={3} />
    </div>
  );
}
