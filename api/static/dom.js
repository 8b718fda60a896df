/* Small DOM helpers shared by the pages' scripts. Text always goes in as textContent, never as HTML. */
"use strict";
window.dom = (() => {
  // el("p", {class: "x", text: "…", onclick: fn, "aria-label": "…"}, child, …)
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // Writes into a live region; emptied first so that screen readers announce a repeated message too.
  function announce(region, text) {
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 30);
  }

  // Saves a file answer (Word export…) under the name the server gives in Content-Disposition.
  async function saveResponse(response, fallbackName) {
    const blob = await response.blob();
    const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const link = el("a", { href: URL.createObjectURL(blob), download: match ? match[1] : fallbackName, class: "offscreen" });
    document.body.append(link);
    link.click();
    window.setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 10000);
  }

  // Who is logged in (GET /api/auth/me), fetched once per page; anonymous when the request fails.
  let account = null;
  function whoami(refresh = false) {
    if (!account || refresh) {
      account = fetch("/api/auth/me", { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { authenticated: false }))
        .catch(() => ({ authenticated: false }));
    }
    return account;
  }

  // fetch() for our API: writes made with the session cookie carry its CSRF token (X-CSRF-Token),
  // without which the server refuses them.
  async function api(path, options = {}) {
    const method = (options.method || "GET").toUpperCase();
    const headers = new Headers(options.headers || {});
    if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
      const me = await whoami();
      if (me.csrf_token) headers.set("X-CSRF-Token", me.csrf_token);
    }
    return fetch(path, { ...options, headers, credentials: "same-origin" });
  }

  // Header of every page: « Connecté : nom (rôle) » with « Se déconnecter », or « Se connecter ».
  async function showAccount() {
    const box = document.getElementById("account");
    if (!box) return;
    const me = await whoami();
    // The document administration is for staff and admins: others would only meet a refusal there.
    for (const link of document.querySelectorAll(".admin-link")) link.hidden = !["staff", "admin"].includes(me.role);
    // A tool the role may not use (configured per deployment): its form is hidden and the way in is explained.
    for (const form of document.querySelectorAll("[data-tool]")) {
      const tool = form.dataset.tool;
      if (!me.tools || !(tool in me.tools)) continue;
      const allowed = me.tools[tool];
      form.hidden = !allowed;
      const noticeId = `acces-${tool}`;
      document.getElementById(noticeId)?.remove();
      if (allowed) continue;
      const who = (me.tools_roles && me.tools_roles[tool] || []).join(", ");
      const notice = el("div", { id: noticeId, class: "card notice access-notice", role: "note" },
        el("p", { text: `${form.dataset.toolLabel || "Cet outil"} est réservée aux comptes ${who}.` }),
        me.authenticated
          ? el("p", { text: `Votre compte (${me.role_label}) n'y a pas accès : demandez à un administrateur.` })
          : el("p", {}, el("a", { href: "/connexion", text: "Se connecter" }), " avec un de ces comptes pour l'utiliser."));
      form.before(notice);
    }
    box.replaceChildren();
    if (!me.authenticated) {
      box.append(el("a", { href: "/connexion", text: "Se connecter" }));
      return;
    }
    const out = el("button", { type: "button", class: "link-button", text: "Se déconnecter" });
    out.addEventListener("click", async () => {
      await api("/api/auth/logout", { method: "POST" });
      window.location.assign("/");
    });
    box.append(el("span", { id: "account-name", text: `Connecté : ${me.name} (${me.role_label})` }), " ", out);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showAccount);
  else showAccount();

  // The Markdown of a drafted text (headings, **bold**, lists, pipe tables, paragraphs) as DOM nodes, built with
  // textContent only: the text is never parsed as HTML.
  function inline(text) {
    const nodes = [];
    const parts = text.split(/(\*\*[^*]+\*\*)/);
    for (const part of parts) {
      if (!part) continue;
      const bold = /^\*\*([^*]+)\*\*$/.exec(part);
      nodes.push(bold ? el("strong", { text: bold[1] }) : document.createTextNode(part));
    }
    return nodes;
  }

  function cells(line) {
    return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
  }

  function markdown(text) {
    const out = [];
    const lines = String(text || "").split("\n");
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) { i += 1; continue; }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (heading) {
        out.push(el(`h${Math.min(6, heading[1].length + 2)}`, { class: "md-heading" }, ...inline(heading[2])));
        i += 1;
        continue;
      }
      if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
        const head = cells(line);
        i += 2;
        const body = [];
        while (i < lines.length && /^\s*\|/.test(lines[i])) { body.push(cells(lines[i])); i += 1; }
        out.push(el("table", { class: "md-table" },
          el("thead", {}, el("tr", {}, ...head.map((c) => el("th", { scope: "col" }, ...inline(c))))),
          el("tbody", {}, ...body.map((row) => el("tr", {}, ...row.map((c) => el("td", {}, ...inline(c))))))));
        continue;
      }
      const item = /^\s*(?:[-*•]|\d+[.)°])\s+(.*)$/;
      if (item.test(line)) {
        const ordered = /^\s*\d/.test(line);
        const list = el(ordered ? "ol" : "ul", { class: "md-list" });
        while (i < lines.length && item.test(lines[i])) { list.append(el("li", {}, ...inline(item.exec(lines[i])[1]))); i += 1; }
        out.push(list);
        continue;
      }
      const para = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,6})\s/.test(lines[i]) && !/^\s*\|/.test(lines[i])
             && !item.test(lines[i])) { para.push(lines[i].trim()); i += 1; }
      out.push(el("p", {}, ...inline(para.join(" "))));
    }
    return out;
  }

  // The French message of a failed response: FastAPI's detail is a French string for our 4xx, a list for
  // body-validation errors; anything else (a proxy's HTML page) gets the status.
  async function errorText(response) {
    let detail = `Erreur ${response.status} du serveur.`;
    try {
      const data = await response.json();
      if (typeof data.detail === "string") detail = data.detail;
      else if (Array.isArray(data.detail)) detail = data.detail.map((d) => d.msg || String(d)).join(" ; ");
    } catch (_) { /* not JSON */ }
    return detail;
  }

  return { el, announce, saveResponse, api, whoami, markdown, errorText };
})();
