import { render } from "preact";
import { html } from "htm/preact";
import { Console } from "./components/Console.js";
import { createApi } from "./api.js";
import { createAuth, loadConfig } from "./auth.js";
import "./style.css";

// The console shares the app's sign-in: the same origin keeps the session (and renews it the same way).
async function main() {
  const auth = createAuth({ config: await loadConfig() });
  render(html`<${Console} api=${createApi(auth)} signedIn=${auth.signedIn()} />`, document.getElementById("console"));
}

main();
