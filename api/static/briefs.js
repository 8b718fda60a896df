// « Notes & communiqués » tab: form → POST /api/briefs (preview with cited sentences), one button per
// section to redraw it from other passages, Word and Markdown downloads of exactly what is previewed.
// Every text from the server or the user is inserted with textContent or DOM nodes, never as HTML.
(() => {
  const form = document.getElementById("briefs-form");
  if (!form) return;
  const { el, announce, saveResponse, api, errorText } = window.dom;
  const { appendCited, sourceUrl } = window.citations;
  const topicInput = document.getElementById("brief-topic");
  const formatInput = document.getElementById("brief-format");
  const audienceInput = document.getElementById("brief-audience");
  const lengthInput = document.getElementById("brief-length");
  const titleInput = document.getElementById("brief-title");
  const submitBtn = document.getElementById("briefs-submit");
  const reviewEl = document.getElementById("briefs-review");
  const reviewBtn = el("button", { type: "button", class: "secondary", text: "Télécharger la fiche de relecture" });
  const docxBtn = document.getElementById("briefs-docx");
  const markdownBtn = document.getElementById("briefs-markdown");
  const alertEl = document.getElementById("briefs-alert");
  const statusEl = document.getElementById("briefs-status");
  const preview = document.getElementById("briefs-preview");
  let lastRequest = null;
  let busy = false;

  const say = (text) => announce(statusEl, text);
  const showError = (text) => alertEl.replaceChildren(el("p", { class: "notice error", text }));

  function setBusy(on, text) {
    busy = on;
    submitBtn.disabled = on;
    docxBtn.disabled = on || !lastRequest;
    markdownBtn.disabled = on || !lastRequest;
    for (const b of preview.querySelectorAll(".regenerate")) b.disabled = on;
    preview.setAttribute("aria-busy", on ? "true" : "false");
    if (text) say(text);
  }

  function sectionBody(section, byN) {
    const items = section.items;
    if (section.style === "paragraph" || section.style === "lead") {
      const p = el("p", { class: section.style === "lead" ? "brief-lead" : null });
      items.forEach((item, i) => appendCited(p, (i ? " " : "") + item.text, byN));
      return items.length ? [p] : [];
    }
    if (section.style === "quote") {
      // Each quotation with the person who says it, as its passage names them.
      return items.flatMap((item) => [appendCited(el("blockquote", { class: "brief-quote" }), item.text, byN),
        item.label ? el("p", { class: "quote-speaker", text: `— ${item.label}` }) : null].filter(Boolean));
    }
    if (section.style === "qa") {
      return items.map((item) => el("div", { class: "brief-qa" },
        el("p", { class: "brief-question", text: item.label || "" }),
        appendCited(el("p"), item.text, byN)));
    }
    const list = el("ul", { class: ["figures", "messages"].includes(section.style) ? "brief-figures" : null });
    for (const item of items) {
      const li = el("li");
      if (item.label) li.append(el("strong", { text: item.label }), " — ");
      list.append(appendCited(li, item.text, byN));
    }
    return items.length ? [list] : [];
  }

  function render(brief) {
    const byN = new Map(brief.citations.map((c) => [c.n, c]));
    const nodes = [
      el("h2", { class: "brief-title", text: brief.title }),
      el("p", { class: "muted", text: `${brief.format_label} — à l'attention des ${brief.audience_label}` }),
    ];
    // The team's review items sit apart from the document: they are never in the Word or Markdown export.
    const review = [...brief.warnings.map((w) => w.message),
                    ...brief.sections.filter((s) => s.notice).map((s) => `${s.title} : ${s.notice}`)];
    reviewEl.replaceChildren(...(review.length ? [
      el("h3", { id: "briefs-review-title", text: "Relecture interne" }),
      el("p", { class: "muted", text: "Ces points ne figurent pas dans le document exporté." }),
      el("ul", {}, ...review.map((m) => el("li", { text: m }))),
      reviewBtn] : []));
    reviewEl.hidden = !review.length;
    // Every section, an empty one too (its notice says what to write): it can be regenerated from here; the
    // exported document leaves it out.
    for (const section of brief.sections) {
      const headingId = `brief-section-${section.id}`;
      const redo = el("button", { type: "button", class: "secondary regenerate", "data-section": section.id,
                                  "aria-describedby": headingId, text: "Régénérer cette section" });
      redo.addEventListener("click", () => regenerate(section));
      nodes.push(el("section", { class: "brief-section", "aria-labelledby": headingId, "data-section": section.id },
        el("div", { class: "brief-section-head" }, el("h3", { id: headingId, text: section.title }), redo),
        ...sectionBody(section, byN),
        section.notice ? el("p", { class: "notice", text: section.notice }) : null));
    }
    if (brief.bibliography.length) {
      const list = el("ol", { class: "sources-list" });
      for (const entry of brief.bibliography) {
        const details = [entry.type_label, entry.publisher, entry.date].filter(Boolean).join(", ");
        const first = brief.citations.find((c) => c.doc_id === entry.doc_id);
        list.append(el("li", {},
          el("span", { class: "source-title", text: entry.title }),
          el("span", { class: "source-meta", text: ` — ${details} · renvois ${entry.n.join(", ")}` }), " ",
          first ? el("a", { href: sourceUrl(first), target: "_blank", rel: "noopener", text: "Voir le passage" }) : null));
      }
      nodes.push(el("section", { class: "sources", "aria-labelledby": "brief-sources" },
        el("h3", { id: "brief-sources", text: `Sources (${brief.bibliography.length})` }), list));
    }
    preview.replaceChildren(...nodes);
  }

  async function draft(request, pending, done) {
    if (busy) return;
    alertEl.replaceChildren();
    setBusy(true, pending);
    try {
      const response = await api("/api/briefs", {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(request),
      });
      if (!response.ok) throw new Error(await errorText(response));
      const brief = await response.json();
      lastRequest = request;
      render(brief);
      setBusy(false, done(brief));
      // On a phone the document comes below the form: bring the status line into view.
      if (statusEl.getBoundingClientRect().top > window.innerHeight) statusEl.scrollIntoView({ block: "start" });
    } catch (error) {
      showError(error.message || "Le serveur est injoignable : vérifiez qu'il est démarré, puis réessayez.");
      setBusy(false, "");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const topic = topicInput.value.trim();
    if (!topic) {
      showError("Indiquez le sujet de la note.");
      topicInput.focus();
      return;
    }
    const request = { topic, format: formatInput.value, audience: audienceInput.value, length: lengthInput.value,
                      title: titleInput.value.trim() || null, exclude: {} };
    draft(request, "Rédaction en cours…", (b) => `Document prêt : ${b.sections.length} sections, ${b.citations.length} sources.`);
  });

  // Redraw one section from other passages: what it shows now is excluded, along with what it showed before.
  function regenerate(section) {
    if (!lastRequest) return;
    const exclude = { ...lastRequest.exclude };
    exclude[section.id] = [...(exclude[section.id] || []), ...section.items.flatMap((i) => i.quotes)];
    draft({ ...lastRequest, exclude }, `Nouvelle rédaction de la section « ${section.title} »…`,
          () => `Section « ${section.title} » régénérée.`);
  }

  async function download(path, fallback, kind) {
    if (!lastRequest || busy) return;
    setBusy(true, `Préparation du fichier ${kind}…`);
    try {
      const response = await api(path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(lastRequest),
      });
      if (!response.ok) throw new Error(await errorText(response));
      await saveResponse(response, fallback);
      setBusy(false, `Fichier ${kind} téléchargé.`);
    } catch (error) {
      showError(error.message || "Téléchargement impossible.");
      setBusy(false, "");
    }
  }

  docxBtn.addEventListener("click", () => download("/api/briefs/docx", "note.docx", "Word"));
  markdownBtn.addEventListener("click", () => download("/api/briefs/markdown", "note.md", "Markdown"));
  reviewBtn.addEventListener("click", () => download("/api/briefs/relecture", "relecture.md", "de la fiche de relecture"));
})();
