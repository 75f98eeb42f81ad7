/**
 * The logs of a function as invocations, newest first: past pages ("Load older") merged
 * with the live tail when it is on. What is shown is in the address, so a link shows the
 * same logs: `?range=1h`, `?at=<ms>` (jump: the logs before that time), `?around=<ms>`
 * (an issue's occurrence: the logs up to shortly after it) with `&request=<id>` opened,
 * `?q=` (a CloudWatch filter pattern) and `?live=1`.
 */
import { useSearchParams } from "@solidjs/router";
import CalendarClock from "lucide-solid/icons/calendar-clock";
import Radio from "lucide-solid/icons/radio";
import ScrollText from "lucide-solid/icons/scroll-text";
import Search from "lucide-solid/icons/search";
import X from "lucide-solid/icons/x";
import { For, Match, Show, Switch, createEffect, createMemo, createSignal, on } from "solid-js";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Input } from "../../components/Input";
import { Section } from "../../components/Page";
import { Select } from "../../components/Select";
import { SkeletonRows } from "../../components/Skeleton";
import { useFunctionLogs, useLiveTail, type LiveState } from "../../data/logs";
import { useWorkspace } from "../../layout/workspace-context";
import type { LambdaFunction } from "../../lib/api";
import { cx } from "../../lib/cx";
import { AROUND_AFTER_MS, RANGES, addInvocations, fromLocalInput, isRange, matchesSearch, newestFirst, rangeMs, toLocalInput, type RangeValue } from "../../lib/logs";
import { formatExact } from "../../lib/time";
import { InvocationRow } from "./InvocationRow";
import { useReplay } from "./replay";
import styles from "./Function.module.css";

function param(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : undefined;
}

function numParam(value: string | string[] | undefined): number | undefined {
  const v = param(value);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const LIVE_TEXT: Record<LiveState, string> = {
  off: "",
  connecting: "Connecting…",
  live: "Live: new invocations appear at the top",
  reconnecting: "Connection lost, reconnecting…",
  closed: "Live logs stopped",
};

export function FunctionLogs(props: { fn: LambdaFunction }) {
  const { workspace } = useWorkspace();
  const [search, setSearch] = useSearchParams();
  const replay = useReplay();

  const range = (): RangeValue => {
    const r = param(search.range);
    return isRange(r) ? r : "";
  };
  const at = () => numParam(search.at);
  const around = () => numParam(search.around);
  const q = () => param(search.q)?.trim() || undefined;
  const live = () => param(search.live) === "1";

  // The range's start is taken when the range is chosen (not on every render).
  const query = createMemo(() => {
    const text = q();
    const a = around();
    if (a) return { end: a + AROUND_AFTER_MS, q: text };
    const j = at();
    if (j) return { end: j, q: text };
    const ms = rangeMs(range());
    return { start: ms ? Math.floor((Date.now() - ms) / 1000) * 1000 : undefined, q: text };
  });

  const past = useFunctionLogs(
    () => workspace().id,
    () => props.fn.id,
    query,
  );
  const tail = useLiveTail(
    () => workspace().id,
    () => props.fn.id,
    live,
  );

  const merged = createMemo(() => {
    let map = addInvocations(new Map(), past.data?.pages.flatMap((p) => p.invocations) ?? []);
    if (live()) map = addInvocations(map, [...tail.invocations().values()].filter((inv) => matchesSearch(inv, q())));
    return map;
  });
  const order = createMemo(() => newestFirst(merged().entries()));

  // Rows open: the one asked for by the address (an occurrence's request), then the user's.
  const [openKeys, setOpenKeys] = createSignal<Set<string>>(new Set(param(search.request) ? [param(search.request)!] : []));
  createEffect(
    on(
      () => param(search.request),
      (request) => {
        if (request) setOpenKeys((s) => new Set(s).add(request));
      },
      { defer: true },
    ),
  );
  const toggle = (key: string) =>
    setOpenKeys((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const set = (patch: Record<string, string | undefined>) => setSearch(patch, { replace: true });
  const setLive = (on: boolean) => set(on ? { live: "1", at: undefined, around: undefined, request: undefined } : { live: undefined });

  const [text, setText] = createSignal(q() ?? "");
  createEffect(on(q, (value) => setText(value ?? "")));
  const [jump, setJump] = createSignal(at() ? toLocalInput(at()!) : "");

  const describe = () => {
    const a = around();
    if (a) return `Around ${formatExact(a)}, then older`;
    const j = at();
    if (j) return `Before ${formatExact(j)}, newest first`;
    const label = RANGES.find((r) => r.value === range())?.label ?? "Any time";
    return `${label === "Any time" ? "Newest first" : `${label}, newest first`}${q() ? `, matching ${q()}` : ""}`;
  };

  return (
    <Section title="Logs" id="function-logs" description={describe()}>
      <div class={styles.toolbar} role="toolbar" aria-label="Log filters">
        <Button
          size="sm"
          variant={live() ? "primary" : "secondary"}
          aria-pressed={live()}
          icon={<Radio aria-hidden="true" />}
          onClick={() => setLive(!live())}
          title={live() ? "Stop following new logs" : "Follow new logs as they arrive"}
        >
          Live
        </Button>
        <Select
          label="Time range"
          hideLabel
          size="sm"
          class={styles.range}
          options={RANGES.map((r) => ({ value: r.value, label: r.label }))}
          value={range()}
          onChange={(value) => set({ range: value || undefined, at: undefined, around: undefined })}
        />
        <form
          class={styles.jump}
          aria-label="Jump to a time"
          onSubmit={(e) => {
            e.preventDefault();
            const ms = fromLocalInput(jump());
            if (ms) set({ at: String(ms), around: undefined, live: undefined, range: undefined });
          }}
        >
          <Input label="Jump to" hideLabel size="sm" type="datetime-local" step="1" value={jump()} onInput={(e) => setJump(e.currentTarget.value)} />
          <Button size="sm" type="submit" icon={<CalendarClock aria-hidden="true" />} disabled={!fromLocalInput(jump())}>
            Jump
          </Button>
        </form>
        <form
          class={styles.search}
          role="search"
          aria-label="Search the logs"
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: text().trim() || undefined });
          }}
        >
          <Input
            label="Search"
            hideLabel
            size="sm"
            mono
            type="search"
            placeholder='Filter: ERROR, "a phrase", ?a ?b, -health, { $.level = "error" }'
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <Button size="sm" type="submit" icon={<Search aria-hidden="true" />}>
            Search
          </Button>
        </form>
      </div>

      <Show when={at() || around() || q()}>
        <p class={styles.note}>
          <span>{describe()}.</span>
          <Button size="sm" variant="ghost" icon={<X aria-hidden="true" />} onClick={() => set({ at: undefined, around: undefined, request: undefined, q: undefined })}>
            Clear
          </Button>
        </p>
      </Show>

      <Show when={live()}>
        <p class={cx(styles.liveStatus, tail.state() === "live" && styles.liveOn, tail.state() === "closed" && styles.liveClosed)} role="status">
          <span class={styles.liveDot} aria-hidden="true" />
          <span>{tail.state() === "closed" && tail.reason() ? `${LIVE_TEXT.closed}: ${tail.reason()}` : LIVE_TEXT[tail.state()]}</span>
        </p>
      </Show>

      <Switch>
        <Match when={past.error && !past.data}>
          <ErrorState title="Could not read the logs" error={past.error} onRetry={() => past.refetch()} />
        </Match>
        <Match when={!past.data && order().length === 0}>
          <SkeletonRows rows={6} columns={4} label="Loading the logs" />
        </Match>
        <Match when={order().length === 0}>
          <EmptyState
            icon={<ScrollText />}
            title={q() ? "Nothing matches" : live() ? "Waiting for logs" : "No logs in this range"}
            action={
              <Show
                when={!live()}
                fallback={undefined}
              >
                <Show
                  when={q() || range() || at() || around()}
                  fallback={
                    <Button variant="primary" icon={<Radio aria-hidden="true" />} onClick={() => setLive(true)}>
                      Follow live logs
                    </Button>
                  }
                >
                  <Button variant="primary" onClick={() => set({ q: undefined, range: undefined, at: undefined, around: undefined, request: undefined })}>
                    Show all logs
                  </Button>
                </Show>
              </Show>
            }
          >
            {live()
              ? "New invocations of this function appear here as soon as CloudWatch Logs has them. Invoke it to see one."
              : "CloudWatch Logs has no lines of this function here. Invocations show with their status, duration, memory and cold starts."}
          </EmptyState>
        </Match>
        <Match when={true}>
          <ol class={styles.invocations} aria-label="Invocations">
            <For each={order()}>
              {(key) => (
                <Show when={merged().get(key)}>
                  {(inv) => (
                    <InvocationRow
                      invocation={inv()}
                      fn={props.fn}
                      open={openKeys().has(key)}
                      onToggle={() => toggle(key)}
                      replayable={replay.known(inv().requestId)}
                      onReplay={() => replay.run(inv().requestId!)}
                    />
                  )}
                </Show>
              )}
            </For>
          </ol>
          <div class={styles.more}>
            <Switch>
              <Match when={past.hasNextPage}>
                <Button size="sm" loading={past.isFetchingNextPage} onClick={() => void past.fetchNextPage()}>
                  Load older
                </Button>
              </Match>
              <Match when={past.data}>
                <span class={styles.subtle}>No older logs{range() ? " in this range" : ""}.</span>
              </Match>
            </Switch>
            <Show when={past.error && past.data}>
              <span class={styles.errorText}>Could not read more: {past.error?.message}</span>
            </Show>
          </div>
        </Match>
      </Switch>
    </Section>
  );
}
