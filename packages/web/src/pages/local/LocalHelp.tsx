/**
 * What to do when the browser does not reach `sst dev`: start it, or the case that keeps
 * this browser from it (Safari and Brave want HTTPS, a remote workspace wants a tunnel),
 * the one that applies here first. (SST docs, "Local logs"; `sst cert` is sst/sst `cmd/sst/cert.go`
 * at 92ad338d07db969e8665d3355d4ed845b9a2959d: mkcert certificates for localhost and 127.0.0.1, made
 * once per machine, after which `sst dev` also serves HTTPS on its port + 1000; ports:
 * ../../lib/local/connection.ts.)
 */
import { For, Show, type JSX } from "solid-js";
import { CopyButton } from "../../components/CopyButton";
import { cx } from "../../lib/cx";
import { currentHelp, type Help } from "../../lib/local/help";
import styles from "./Local.module.css";

function Command(props: { text: string }) {
  return (
    <span class={styles.command}>
      <code>{props.text}</code>
      <CopyButton value={props.text} label="command" size="sm" />
    </span>
  );
}

const BROWSER_NAME = { safari: "Safari", brave: "Brave", other: "this browser" } as const;

export function LocalHelp(props: { stage?: string; port?: number; help?: Help }) {
  const help = () => props.help ?? currentHelp();
  const start = () => (props.stage ? `npx sst dev --stage ${props.stage}` : "npx sst dev");
  const cases = (): { id: Help["primary"]; title: string; body: JSX.Element }[] => {
    const all = [
      {
        id: "start" as const,
        title: "Start sst dev on this computer",
        body: (
          <>
            <p>In your app's folder run:</p>
            <Command text={start()} />
            <p class={styles.subtle}>
              This page then connects to it from your browser, at{" "}
              <span class={styles.mono}>{props.port ? `localhost:${props.port}` : "localhost:13557"}</span>
              {props.port ? "" : " (or the next ports, which sst dev takes when 13557 is busy)"}. Nothing about your machine goes
              through the console's servers. If sst dev printed another port, add <span class={styles.mono}>?_port=</span> and
              that port to this page's address.
            </p>
          </>
        ),
      },
      {
        id: "https" as const,
        title: help().needsHttps ? `${BROWSER_NAME[help().browser]} needs HTTPS to reach sst dev` : "Safari and Brave need HTTPS",
        body: (
          <>
            <p>
              Safari and Brave only let a page reach your computer's sst dev over HTTPS. With SST v3 or later, make a local
              certificate once, then restart sst dev (it adds an HTTPS address on port 14557):
            </p>
            <Command text="npx sst cert" />
            <p class={styles.subtle}>
              With SST v2, install mkcert and run <span class={styles.mono}>mkcert -install</span>, then restart sst dev. In
              Brave, allow this site to access localhost when it asks.
            </p>
          </>
        ),
      },
      {
        id: "remote" as const,
        title: help().remote ? "This console is open in a remote workspace: tunnel sst dev's port" : "sst dev on another machine needs a tunnel",
        body: (
          <>
            <p>
              When sst dev runs in a remote workspace (Gitpod, Codespaces, a VM or a server you reach over SSH), its port is
              on that machine, not on this computer. Forward it here:
            </p>
            <Command text="ssh -L 13557:localhost:13557 <host>" />
            <p class={styles.subtle}>
              In Codespaces: <span class={styles.mono}>gh codespace ports forward 13557:13557</span>. In Gitpod: run the
              Gitpod Local Companion app.
            </p>
          </>
        ),
      },
    ];
    const first = all.find((c) => c.id === help().primary)!;
    return [first, ...all.filter((c) => c !== first)];
  };
  return (
    <div class={styles.help}>
      <For each={cases()}>
        {(c, i) => (
          <section class={cx(styles.case, i() === 0 && c.id !== "start" && styles.caseCurrent)} aria-label={c.title}>
            <h3>
              {c.title}
              <Show when={i() === 0 && c.id !== "start"}>
                <span class={styles.subtle}> · this applies here</span>
              </Show>
            </h3>
            {c.body}
          </section>
        )}
      </For>
    </div>
  );
}
