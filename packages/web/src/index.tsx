import { render } from "solid-js/web";
import { App } from "./App";
import { initTheme } from "./lib/theme";
import "./styles/tokens.css";
import "./styles/global.css";

initTheme();

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
render(() => <App />, root);
