/* « Administration des documents »: upload, list with edit / re-index / delete, audit log, answers rated « pas utile ».
   Every piece of data (titles, file names, audit details) goes into the page as textContent via dom.el. */
"use strict";
(() => {
  // dom.api adds the session's CSRF token (X-CSRF-Token) to every write.
  const { el, announce, api, errorText } = window.dom;
  const status = document.getElementById("admin-status");
  const alertBox = document.getElementById("admin-alert");
  const uploadForm = document.getElementById("upload-form");
  const uploadButton = document.getElementById("upload-button");
  const docsBody = document.querySelector("#docs-table tbody");
  const docsCounts = document.getElementById("docs-counts");
  const auditBody = document.querySelector("#audit-table tbody");
  const feedbackBody = document.querySelector("#feedback-table tbody");
  const dialog = document.getElementById("edit-dialog");
  const editForm = document.getElementById("edit-form");
  const AUDIENCES = { public: "Public", members: "Adhérents", staff: "Équipe" };
  const DOC_TYPES = {
    note: "Note", fact_sheet: "Fiche", press_release: "Communiqué de presse", press_article: "Article de presse",
    white_paper: "Livre blanc", procurement_guide: "Guide de la commande publique", procurement_law: "Texte juridique",
  };
  let editing = null;

  for (const select of [uploadForm.elements.doc_type, editForm.elements.doc_type]) {
    for (const [value, label] of Object.entries(DOC_TYPES)) select.append(el("option", { value, text: label }));
  }

  function showError(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

  function docPath(docId) {
    return docId.split("/").map(encodeURIComponent).join("/");
  }

  function formatDetails(details) {
    return Object.entries(details || {}).map(([key, value]) =>
      `${key} : ${typeof value === "object" ? JSON.stringify(value) : value}`).join(" ; ");
  }

  async function loadDocuments() {
    const response = await api("/api/admin/documents", { headers: { Accept: "application/json" } });
    if (!response.ok) {
      const message = await errorText(response);
      showError(message);
      document.getElementById("admin-content").hidden = true;
      if (response.status === 401) alertBox.append(" ", el("a", { href: "/connexion", text: "Se connecter" }));
      return false;
    }
    const data = await response.json();
    document.getElementById("admin-content").hidden = false;
    const byAudience = Object.entries(data.counts.by_audience)
      .map(([audience, n]) => `${AUDIENCES[audience] || audience} : ${n}`).join(", ");
    docsCounts.textContent = `${data.counts.documents} documents (${byAudience}), ${data.counts.chunks} passages, `
      + `${data.counts.uploaded} déposés ici.`;
    docsBody.replaceChildren(...data.documents.map(documentRow));
    return true;
  }

  function documentRow(doc) {
    const actions = el("td", { class: "row-actions" },
      el("button", { type: "button", class: "secondary", text: "Modifier", "aria-label": `Modifier « ${doc.title} »`,
                     onclick: () => openEdit(doc) }),
      el("button", { type: "button", class: "secondary", text: "Réindexer", "aria-label": `Réindexer « ${doc.title} »`,
                     onclick: () => change(`/api/admin/documents/${docPath(doc.doc_id)}/reindex`, { method: "POST" },
                                           `« ${doc.title} » réindexé.`) }));
    if (doc.origin === "depot") {
      actions.append(el("button", { type: "button", class: "danger", text: "Supprimer",
                                    "aria-label": `Supprimer « ${doc.title} »`, onclick: () => remove(doc) }));
    }
    return el("tr", {},
      el("td", {}, el("a", { href: `/documents/${docPath(doc.doc_id)}`, text: doc.title }),
         el("span", { class: "muted doc-id", text: doc.doc_id })),
      el("td", { text: DOC_TYPES[doc.doc_type] || doc.doc_type }), el("td", { text: doc.date || "—" }),
      el("td", { text: AUDIENCES[doc.audience] || doc.audience }), el("td", { text: String(doc.n_chunks) }),
      el("td", { text: doc.origin === "depot" ? "Dépôt" : "Corpus" }), actions);
  }

  async function loadAudit() {
    const response = await api("/api/admin/audit?limit=50", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const entries = await response.json();
    auditBody.replaceChildren(...entries.map((e) => el("tr", {},
      el("td", { text: e.at.replace("T", " ").replace("Z", "") }), el("td", { text: e.user_name || e.user_id || "—" }),
      el("td", { text: e.role }), el("td", { text: e.action }),
      el("td", { text: e.title ? `${e.title} (${e.doc_id || "—"})` : (e.doc_id || "—") }),
      el("td", { class: "audit-details", text: formatDetails(e.details) }))));
    if (!entries.length) auditBody.append(el("tr", {}, el("td", { colspan: "6", text: "Aucune action enregistrée." })));
  }

  // A partial answer is labelled, and what the documents lacked is shown apart from what was said.
  function answerCell(r) {
    if (r.abstained) return [`Abstention : ${r.reason || "—"}`];
    if (r.status !== "partial") return [r.answer];
    const said = r.missing.reduce((text, sentence) => text.replace(sentence, ""), r.answer).trim();
    return [el("strong", { class: "status-partial", text: "Réponse partielle" }), el("p", { text: said }),
      el("p", { class: "missing-admin", text: `Ce que les documents ne disent pas : ${r.missing.join(" ")}` })];
  }

  async function loadFeedback() {
    const response = await api("/api/admin/feedback?rating=down&limit=50", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const rated = await response.json();
    feedbackBody.replaceChildren(...rated.map((r) => el("tr", {},
      el("td", { text: r.rated_at.replace("T", " ").replace("Z", "") }), el("td", { text: r.question }),
      el("td", {}, ...answerCell(r)),
      el("td", { text: r.sources.join(" ; ") || "—" }), el("td", { text: r.comment || "—" }))));
    if (!rated.length) feedbackBody.append(el("tr", {}, el("td", { colspan: "5", text: "Aucune réponse jugée pas utile." })));
  }

  async function refresh() {
    if (await loadDocuments()) await Promise.all([loadAudit(), loadFeedback()]);
  }

  async function change(url, options, success) {
    showError("");
    announce(status, "Traitement en cours…");
    const response = await api(url, options);
    if (!response.ok) {
      const message = await errorText(response);
      showError(message);
      announce(status, "");
    } else {
      announce(status, success);
    }
    await refresh();
    return response.ok;
  }

  async function remove(doc) {
    if (!window.confirm(`Supprimer définitivement « ${doc.title} » ? Il ne sera plus proposé dans les réponses.`)) return;
    await change(`/api/admin/documents/${docPath(doc.doc_id)}`, { method: "DELETE" }, `« ${doc.title} » supprimé.`);
  }

  function openEdit(doc) {
    editing = doc;
    document.getElementById("edit-doc").textContent = doc.doc_id;
    editForm.elements.title.value = doc.title;
    const types = editForm.elements.doc_type;
    if (![...types.options].some((o) => o.value === doc.doc_type)) {
      types.append(el("option", { value: doc.doc_type, text: doc.doc_type }));  // a type set by a corpus file
    }
    types.value = doc.doc_type;
    editForm.elements.date.value = doc.date || "";
    editForm.elements.audience.value = doc.audience;
    editForm.elements.source.value = doc.source || "";
    dialog.showModal();
    editForm.elements.title.focus();
  }

  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "save" || !editing) return;
    const doc = editing;
    editing = null;
    const patch = {};
    for (const name of ["title", "doc_type", "date", "audience", "source"]) {
      const value = editForm.elements[name].value.trim();
      if (value !== ((doc[name] || "") + "").trim()) patch[name] = value;
    }
    if (!Object.keys(patch).length) {
      announce(status, "Aucune modification.");
      return;
    }
    await change(`/api/admin/documents/${docPath(doc.doc_id)}`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(patch),
    }, `« ${patch.title || doc.title} » modifié et réindexé.`);
  });

  uploadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("upload-file");
    if (!file.files.length) {
      file.setAttribute("aria-invalid", "true");
      showError("Choisissez un fichier à déposer.");
      file.focus();
      return;
    }
    file.removeAttribute("aria-invalid");
    const form = new FormData();
    for (const [name, value] of new FormData(uploadForm).entries()) {
      if (name !== "file" && value) form.append(name, value);
    }
    form.append("file", file.files[0]);
    uploadButton.disabled = true;
    const ok = await change("/api/admin/documents", { method: "POST", body: form },
                            `« ${file.files[0].name} » déposé et indexé.`);
    uploadButton.disabled = false;
    if (ok) uploadForm.reset();
  });

  refresh();
})();
