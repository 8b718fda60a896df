// « Clauses » tab: form → POST /api/clauses (live preview), Word download, and a linter for pasted text.
// Every text from the server or the user is inserted with textContent or DOM nodes, never as HTML.
(() => {
  const form = document.getElementById("clauses-form");
  if (!form) return;
  const objectInput = document.getElementById("clause-object");
  const amountInput = document.getElementById("clause-amount");
  const procedureInput = document.getElementById("clause-procedure");
  const lotsInput = document.getElementById("clause-lots");
  const buyerInput = document.getElementById("clause-buyer");
  const durationInput = document.getElementById("clause-duration");
  const sectorInput = document.getElementById("clause-sector");
  const markdownBtn = document.getElementById("clauses-markdown");
  const proposeBox = document.getElementById("type-propose");
  const typesList = document.getElementById("clause-types-list");
  const typesStatus = document.getElementById("clause-types-status");
  const submitBtn = document.getElementById("clauses-submit");
  const docxBtn = document.getElementById("clauses-docx");
  const alertEl = document.getElementById("clauses-alert");
  const statusEl = document.getElementById("clauses-status");
  const preview = document.getElementById("clauses-preview");
  const lintForm = document.getElementById("lint-form");
  const lintText = document.getElementById("lint-text");
  const lintBtn = document.getElementById("lint-submit");
  const lintResults = document.getElementById("lint-results");
  let lastRequest = null;
  let typesLoaded = false;

  const { el, announce, saveResponse, api, markdown, errorText } = window.dom;

  function say(text) {
    announce(statusEl, text);
  }

  function showError(text) {
    alertEl.replaceChildren(el("p", { class: "notice error", text }));
  }

  function clearError() { alertEl.replaceChildren(); }

  // --- clause library -----------------------------------------------------------------------
  async function loadTypes() {
    if (typesLoaded) return;
    typesLoaded = true;
    try {
      const response = await fetch("/api/clauses/types");
      if (!response.ok) throw new Error(await errorText(response));
      const types = await response.json();
      typesList.replaceChildren(...types.map((t) => {
        const id = `type-${t.id}`;
        const help = `${id}-help`;
        const box = el("input", { type: "checkbox", id, name: "types", value: t.id, "aria-describedby": help });
        const params = parameterFields(t);
        if (params) box.addEventListener("change", () => { params.hidden = !box.checked; });
        return el("div", { class: "type-option" }, box,
          el("label", { for: id, text: t.title }),
          el("span", { id: help, class: "muted type-help", text: `${t.placement} · ${t.purpose || ""}` }),
          params);
      }));
      typesStatus.textContent = `${types.length} types de clauses disponibles.`;
    } catch (err) {
      typesLoaded = false;
      typesStatus.textContent = `Bibliothèque indisponible : ${err.message}`;
    }
  }

  // The parameters of a clause type (weights, contents of criteria…), shown once the type is checked.
  // Left empty, a parameter takes the library's default (computed from the amount or the duration).
  function parameterFields(type) {
    if (!type.parameters || !type.parameters.length) return null;
    const fields = type.parameters.map((p) => {
      const id = `param-${type.id}-${p.name}`;
      const helpText = [p.help, p.default !== null && p.default !== undefined ? `Par défaut : ${p.default}` : (
        p.default_expr ? "Par défaut : calculé d'après le marché" : "")].filter(Boolean).join(" — ");
      const data = { id, "data-param": p.name, "data-kind": p.type, "aria-describedby": helpText ? `${id}-help` : null };
      let input;
      if (p.type === "choice") {
        input = el("select", data, el("option", { value: "", text: "Par défaut" }),
          ...p.choices.map((c) => el("option", { value: c, text: c })));
      } else if (p.type === "bool") {
        input = el("select", data, el("option", { value: "", text: "Par défaut" }),
          el("option", { value: "true", text: "Oui" }), el("option", { value: "false", text: "Non" }));
      } else if (p.type === "str") {
        input = el("input", { ...data, type: "text", maxlength: "1000" });
      } else {
        input = el("input", { ...data, type: "number", inputmode: "decimal", step: p.type === "int" ? "1" : "any",
                               min: p.min ?? null, max: p.max ?? null });
      }
      return el("div", { class: "param" }, el("label", { for: id, text: p.label }), input,
        helpText ? el("span", { id: `${id}-help`, class: "muted type-help", text: helpText }) : null);
    });
    return el("fieldset", { class: "type-params", hidden: true },
      el("legend", { class: "offscreen", text: `Paramètres : ${type.title}` }), ...fields);
  }

  function readParams() {
    const params = {};
    for (const input of form.querySelectorAll(".type-params:not([hidden]) [data-param]")) {
      const value = input.value.trim();
      if (!value) continue;
      const kind = input.dataset.kind;
      params[input.dataset.param] = kind === "bool" ? value === "true"
        : ["int", "float", "percent"].includes(kind) ? Number(value) : value;
    }
    return params;
  }

  function readRequest() {
    const body = { object: objectInput.value.trim() };
    const amount = amountInput.value.trim();
    if (amount) body.amount = Number(amount);
    if (procedureInput.value) body.procedure = procedureInput.value;
    if (buyerInput.value.trim()) body.buyer = buyerInput.value.trim();
    if (durationInput.value.trim()) body.duration_months = Number(durationInput.value);
    if (sectorInput.value.trim()) body.sector = sectorInput.value.trim();
    const params = readParams();
    if (Object.keys(params).length) body.params = params;
    const lots = lotsInput.value.split("\n").map((l) => l.trim()).filter(Boolean);
    if (lots.length) body.lots = lots;
    const types = Array.from(form.querySelectorAll('input[name="types"]:checked')).map((c) => c.value);
    body.types = types.length ? types : ["propose"];
    return body;
  }

  // --- preview --------------------------------------------------------------------------------
  function findingItem(f) {
    return el("li", { class: `finding ${f.severity}` },
      el("strong", { text: `${f.severity === "erreur" ? "Erreur" : "Avertissement"} : ${f.title}` }),
      el("p", {}, "Mots en cause : ", el("q", { class: "finding-quote", text: f.quote })),
      el("p", { text: f.explanation }),
      f.articles && f.articles.length ? el("p", { class: "muted", text: `Article(s) : ${f.articles.join(", ")}` }) : null,
      el("p", {}, el("span", { class: "label", text: "Réécriture proposée : " }), el("span", { class: "rewrite", text: f.rewrite })));
  }

  function draftCard(draft, index) {
    const headingId = `draft-${index}-title`;
    const card = el("article", { class: "draft card", "aria-labelledby": headingId, "data-type-id": draft.type_id });
    card.append(el("h3", { id: headingId },
      el("span", { class: "badge", title: draft.placement_title, text: draft.placement }), ` ${index + 1}. ${draft.title}`));
    card.append(el("p", { class: "muted", text: draft.placement_title }));
    if (draft.reason) card.append(el("p", { class: "reason", text: `Pourquoi : ${draft.reason}` }));

    if (draft.warnings && draft.warnings.length) {
      const box = el("div", { class: "notice draft-warnings" }, el("strong", { text: "Points d'attention" }));
      const list = el("ul");
      for (const w of draft.warnings) {
        list.append(w.finding ? findingItem(w.finding) : el("li", { class: "warning", text: w.message }));
      }
      box.append(list);
      card.append(box);
    }

    card.append(el("div", { class: "clause-text" }, ...markdown(draft.text)));

    const basis = el("section", { class: "legal-basis" }, el("h4", { text: "Fondements juridiques" }));
    const basisList = el("ul");
    for (const b of draft.legal_basis || []) {
      const since = b.in_force_since ? ` (en vigueur depuis le ${b.in_force_since})` : "";
      basisList.append(el("li", {},
        el("details", {},
          el("summary", {}, el("strong", { class: "article-id", text: b.article_id }), ` — ${b.role}`),
          el("p", { class: "muted", text: `${b.title}${b.locator ? ` · ${b.locator}` : ""}${since}` }),
          el("blockquote", { class: "article-text", text: b.text }))));
    }
    basis.append(basisList);
    card.append(basis);

    if (draft.citations && draft.citations.length) {
      const guides = el("section", { class: "guidance" }, el("h4", { text: "Extraits des guides" }));
      const list = el("ol", { class: "sources-list" });
      for (const c of draft.citations) {
        const url = `/documents/${c.doc_id.split("/").map(encodeURIComponent).join("/")}` +
          `${c.quote ? `?passage=${encodeURIComponent(c.quote)}` : ""}#chunk-${encodeURIComponent(c.chunk_id)}`;
        list.append(el("li", {},
          el("a", { href: url, class: "source-title", target: "_blank", rel: "noopener", text: c.title }),
          c.locator ? el("span", { class: "source-meta", text: ` — ${c.locator}` }) : null,
          el("blockquote", { class: "source-quote", text: c.quote })));
      }
      guides.append(list);
      card.append(guides);
    }

    if ((draft.guidance && draft.guidance.length) || (draft.risks && draft.risks.length)) {
      const more = el("details", { class: "notes" }, el("summary", { text: "Conseils et risques" }));
      if (draft.guidance.length) more.append(el("ul", {}, ...draft.guidance.map((g) => el("li", { text: g }))));
      if (draft.risks.length) {
        more.append(el("p", { class: "label", text: "Risques :" }), el("ul", {}, ...draft.risks.map((r) => el("li", { text: r }))));
      }
      card.append(more);
    }
    return card;
  }

  // The buyer's own words ask for what the Code forbids: nothing is drafted; the rule, the words in cause and
  // the lawful wording, applied in one click.
  function applyRewrite(fix) {
    if (typeof fix.object === "string") objectInput.value = fix.object;
    if (typeof fix.sector === "string") sectorInput.value = fix.sector;
    if (typeof fix.buyer === "string") buyerInput.value = fix.buyer;
    if (Array.isArray(fix.lots)) lotsInput.value = fix.lots.join("\n");
    for (const [key, value] of Object.entries(fix)) {
      if (!key.startsWith("params.")) continue;
      const name = key.slice("params.".length).split(".").pop();
      for (const input of form.querySelectorAll(`[data-param="${CSS.escape(name)}"]`)) input.value = value;
    }
  }

  function showRefusal(data) {
    const box = el("div", { class: "notice error refusal" },
      el("strong", { text: "Rédaction refusée : votre demande elle-même est contraire au code de la commande publique." }));
    const list = el("ul");
    for (const c of data.constats || []) {
      const f = c.finding;
      list.append(el("li", {}, el("strong", { text: `${c.label} — ${f.title}` }),
        el("p", {}, "Mots en cause : ", el("q", { class: "finding-quote", text: f.quote })),
        el("p", { text: f.explanation }),
        el("p", { class: "muted", text: `Article(s) : ${(f.articles || []).join(", ")}` })));
    }
    box.append(list);
    const fix = data.reecriture || {};
    const proposed = Object.entries(fix).map(([key, value]) => {
      const label = { object: "Objet du marché", sector: "Secteur", buyer: "Acheteur", lots: "Lots" }[key] || key;
      return `${label} : ${Array.isArray(value) ? value.map((v) => `« ${v} »`).join(", ") : `« ${value} »`}`;
    });
    if (proposed.length) {
      box.append(el("p", {}, el("span", { class: "label", text: "Formulation licite proposée : " }),
        el("span", { class: "rewrite", text: proposed.join(" ; ") })));
      const apply = el("button", { type: "button", class: "primary", text: "Utiliser cette formulation et rédiger" });
      apply.addEventListener("click", () => { applyRewrite(fix); form.requestSubmit(); });
      box.append(apply);
    }
    alertEl.replaceChildren(box);
    box.scrollIntoView({ block: "nearest" });
  }

  function render(result) {
    const nodes = [];
    const head = el("div", { class: "card preview-head" },
      el("h2", { text: `Clauses pour « ${result.request.object} »` }),
      el("p", { class: "notice", text: "Projet — à valider par votre service juridique." }));
    if (result.input_warnings && result.input_warnings.length) {
      const box = el("div", { class: "notice input-warnings" },
        el("strong", { text: "Points d'attention sur votre demande" }));
      box.append(el("ul", {}, ...result.input_warnings.map((w) => findingItem(w.finding))));
      head.append(box);
    }
    nodes.push(head);
    result.drafts.forEach((d, i) => nodes.push(draftCard(d, i)));
    preview.replaceChildren(...nodes);
  }

  async function generate(event) {
    event.preventDefault();
    clearError();
    const body = readRequest();
    if (body.object.length < 3) {
      showError("Indiquez l'objet du marché (au moins 3 caractères).");
      objectInput.setAttribute("aria-invalid", "true");
      objectInput.focus();
      return;
    }
    objectInput.removeAttribute("aria-invalid");
    submitBtn.disabled = true;
    preview.setAttribute("aria-busy", "true");
    say("Rédaction des clauses en cours…");
    try {
      const response = await api("/api/clauses", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      if (!response.ok) {
        const refused = response.status === 422 ? await response.clone().json().catch(() => null) : null;
        if (refused && refused.reecriture) {
          showRefusal(refused);
          say("Rédaction refusée : votre demande contient une exigence contraire au code. Une formulation licite est proposée.");
          return;
        }
        throw new Error(await errorText(response));
      }
      const result = await response.json();
      lastRequest = body;
      render(result);
      // On a phone the drafts come below the form: bring the status line and the first draft into view.
      if (statusEl.getBoundingClientRect().top > window.innerHeight) statusEl.scrollIntoView({ block: "start" });
      docxBtn.disabled = markdownBtn.disabled = !result.drafts.length;
      const warned = result.drafts.filter((d) => d.warnings && d.warnings.length).length;
      say(`${result.drafts.length} clause(s) rédigée(s)${warned ? `, dont ${warned} avec des points d'attention` : ""}.`);
    } catch (err) {
      showError(err.message === "Failed to fetch" ? "Le serveur ne répond pas." : err.message);
      say("");
    } finally {
      submitBtn.disabled = false;
      preview.setAttribute("aria-busy", "false");
    }
  }

  async function download(path, fallback, kind, button) {
    if (!lastRequest) return;
    clearError();
    button.disabled = true;
    say(`Préparation du fichier ${kind}…`);
    try {
      const response = await api(path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(lastRequest),
      });
      if (!response.ok) throw new Error(await errorText(response));
      await saveResponse(response, fallback);
      say(`Fichier ${kind} téléchargé.`);
    } catch (err) {
      showError(`Export impossible : ${err.message}`);
      say("");
    } finally {
      button.disabled = false;
    }
  }

  async function lint(event) {
    event.preventDefault();
    const text = lintText.value;
    if (!text.trim()) {
      lintResults.replaceChildren(el("p", { class: "notice error", text: "Collez le texte à vérifier." }));
      lintText.focus();
      return;
    }
    lintBtn.disabled = true;
    lintResults.replaceChildren(el("p", { class: "muted", text: "Vérification…" }));
    try {
      const body = { text };
      if (amountInput.value.trim()) body.amount = Number(amountInput.value);
      const response = await api("/api/clauses/lint", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(await errorText(response));
      const data = await response.json();
      if (!data.findings.length) {
        lintResults.replaceChildren(el("p", { class: "ok", text: "Aucun problème détecté." }));
      } else {
        lintResults.replaceChildren(
          el("p", { text: `${data.erreurs} erreur(s), ${data.avertissements} avertissement(s).` }),
          el("ul", { class: "findings" }, ...data.findings.map(findingItem)));
      }
    } catch (err) {
      lintResults.replaceChildren(el("p", { class: "notice error", role: "alert",
        text: err.message === "Failed to fetch" ? "Le serveur ne répond pas." : err.message }));
    } finally {
      lintBtn.disabled = false;
    }
  }

  form.addEventListener("submit", generate);
  docxBtn.addEventListener("click", () => download("/api/clauses/docx", "clauses.docx", "Word", docxBtn));
  markdownBtn.addEventListener("click", () => download("/api/clauses/markdown", "clauses.md", "Markdown", markdownBtn));
  lintForm.addEventListener("submit", lint);
  // Ctrl/Cmd+Entrée in a textarea submits its form.
  for (const [area, target] of [[objectInput, form], [lintText, lintForm]]) {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); target.requestSubmit(); }
    });
  }
  // Parameters changed: the Word file must be generated again from the new form.
  form.addEventListener("input", () => { if (lastRequest) docxBtn.disabled = markdownBtn.disabled = true; lastRequest = null; });

  document.addEventListener("tab-selected", (event) => { if (event.detail.id === "tab-clauses") loadTypes(); });
  if (!document.getElementById("panel-clauses").hidden) loadTypes();
})();
