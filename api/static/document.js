// Document view: every passage is a section with id "chunk-<chunk_id>"; the cited one (URL fragment) is
// highlighted and scrolled to, and the quoted sentence (?passage=…) is marked inside it. Text is inserted
// with textContent only.
(() => {
  const TYPES = {
    press_release: "Communiqué de presse", press_article: "Article de presse", white_paper: "Livre blanc",
    procurement_law: "Texte juridique (commande publique)", procurement_guide: "Guide d'achat public",
    fact_sheet: "Fiche", note: "Note",
  };
  const statusEl = document.getElementById("doc-status");
  const titleEl = document.getElementById("doc-title");
  const metaEl = document.getElementById("doc-meta");
  const rawEl = document.getElementById("doc-raw");
  const passages = document.getElementById("passages");
  const docId = decodeURIComponent(location.pathname.replace(/^\/documents\//, ""));
  const path = docId.split("/").map(encodeURIComponent).join("/");

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Wrap the first occurrence of `quote` in <mark>, tolerant of whitespace differences.
  function markQuote(textNode, quote) {
    const words = quote.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!words.length) return false;
    const match = new RegExp(words.join("\\s+")).exec(textNode.data);
    if (!match) return false;
    const range = document.createRange();
    range.setStart(textNode, match.index);
    range.setEnd(textNode, match.index + match[0].length);
    const mark = el("mark", "quote-mark");
    range.surroundContents(mark);
    return true;
  }

  function focusTarget(quote) {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    const target = document.getElementById(id);
    if (!target) { statusEl.textContent = "Le passage cité n'existe plus dans ce document (réindexé depuis)."; return; }
    for (const old of document.querySelectorAll(".passage.highlight")) {
      old.classList.remove("highlight");
      old.removeAttribute("aria-current");
    }
    target.classList.add("highlight");
    target.setAttribute("aria-current", "true");
    const text = target.querySelector(".passage-text");
    const marked = quote && text && text.firstChild ? markQuote(text.firstChild, quote) : false;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    statusEl.textContent = marked ? "Passage cité surligné." : "Passage cité mis en évidence.";
  }

  async function load() {
    try {
      const response = await fetch(`/api/documents/${path}`);
      const doc = await response.json();
      if (!response.ok) {
        titleEl.textContent = "Document introuvable";
        statusEl.textContent = doc.detail || `Erreur ${response.status}`;
        return;
      }
      document.title = `${doc.title} — Alliance Assistant`;
      titleEl.textContent = doc.title;
      const meta = [["Type", TYPES[doc.doc_type] || doc.doc_type], ["Date", doc.date || "non datée"],
                    ["Source", /^(\/|[A-Za-z]:\\)/.test(doc.source || "") ? "" : doc.source],
                    ["Passages", String(doc.n_chunks)]].filter(([, v]) => v);
      for (const [k, v] of meta) metaEl.append(el("dt", "", k), el("dd", "", v));
      metaEl.hidden = false;
      if (doc.raw_available) {
        const link = el("a", "", `Télécharger le fichier d'origine (${doc.format.toUpperCase()})`);
        link.href = `/api/documents/${path}/raw`;
        rawEl.append(link);
        rawEl.hidden = false;
      }
      for (const chunk of doc.chunks) {
        const section = el("section", "passage");
        section.id = chunk.anchor;
        section.tabIndex = -1;
        const label = chunk.page ? `${chunk.locator} (page ${chunk.page})` : chunk.locator;
        section.append(el("h2", "passage-locator", label), el("p", "passage-text", chunk.text));
        passages.append(section);
      }
      statusEl.textContent = "";
      focusTarget(new URLSearchParams(location.search).get("passage"));
    } catch (err) {
      statusEl.textContent = "Le serveur ne répond pas.";
    }
  }

  window.addEventListener("hashchange", () => focusTarget(null));
  load();
})();
