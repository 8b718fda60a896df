/* Login page: posts the credentials as JSON, then goes back to the assistant. */
"use strict";
(() => {
  const { whoami } = window.dom;
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  const state = document.getElementById("login-state");
  const button = document.getElementById("login-button");

  // A form post without JavaScript comes back here with ?erreur=1.
  if (new URLSearchParams(window.location.search).has("erreur")) {
    error.textContent = "Nom d'utilisateur ou mot de passe incorrect.";
  }

  whoami().then((me) => {
    if (me.authenticated) state.textContent = `Vous êtes déjà connecté : ${me.name} (${me.role_label}).`;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const name = form.elements.name.value.trim();
    const password = form.elements.password.value;
    if (!name || !password) {
      error.textContent = "Indiquez le nom d'utilisateur et le mot de passe.";
      (name ? form.elements.password : form.elements.name).focus();
      return;
    }
    button.disabled = true;
    state.textContent = "Connexion…";
    try {
      const response = await fetch("/api/auth/login", {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name, password }), credentials: "same-origin",
      });
      if (!response.ok) {
        let detail = `Erreur ${response.status}`;
        try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
        throw new Error(detail);
      }
      // A Secure cookie over plain HTTP (other than localhost) is dropped by the browser: say so
      // instead of sending the user back anonymous without a word.
      const me = await whoami(true);
      if (!me.authenticated) {
        throw new Error("Le navigateur a refusé le cookie de session : ouvrez l'assistant en HTTPS (ou sur "
          + "127.0.0.1), ou demandez à l'administrateur de poser ASSISTANT_COOKIE_SECURE=false.");
      }
      state.textContent = `Connecté : ${me.name} (${me.role_label}).`;
      window.location.assign("/");
    } catch (err) {
      state.textContent = "";
      error.textContent = err.message;
      form.elements.password.select();
    } finally {
      button.disabled = false;
    }
  });
})();
