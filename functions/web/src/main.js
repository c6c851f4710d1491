import { render } from "preact";
import { html } from "htm/preact";
import { App } from "./components/App.js";
import { createApi } from "./api.js";
import { createAuth, loadConfig } from "./auth.js";
import "./style.css";

async function main() {
  const config = await loadConfig();
  const auth = createAuth({ config });
  let problem = null;
  try {
    // Back from the managed login: the code becomes a session before the app renders.
    await auth.completeManagedLogin();
  } catch (error) {
    problem = error.message;
  }
  const api = createApi(auth);
  render(html`<${App} api=${api} auth=${auth} initialError=${problem} />`, document.getElementById("root"));
}

main();
