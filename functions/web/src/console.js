import { render } from "preact";
import { html } from "htm/preact";
import { Console } from "./components/Console.js";
import { createApi } from "./api.js";
import "./style.css";

// The console shares the app's sign-in (the same origin keeps the token).
const token = localStorage.getItem("glint.token");
const api = createApi(() => token);
render(html`<${Console} api=${api} signedIn=${Boolean(token)} />`, document.getElementById("console"));
