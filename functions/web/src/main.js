import { render } from "preact";
import { html } from "htm/preact";
import { App } from "./components/App.js";
import { createApi } from "./api.js";
import "./style.css";

const TOKEN = "glint.token";
const storage = {
  get: () => localStorage.getItem(TOKEN),
  set: (token) => (token ? localStorage.setItem(TOKEN, token) : localStorage.removeItem(TOKEN)),
};
let token = storage.get();
const api = createApi(() => token);

render(html`<${App} api=${api} initialToken=${token} onToken=${(next) => { token = next; storage.set(next); }} />`,
  document.getElementById("root"));
