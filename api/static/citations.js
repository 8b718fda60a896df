// Citations shared by the chat and the briefs tab: superscript markers whose preview shows the quoted
// passage (hover, focus or tap), and links to the document scrolled to that passage. Text goes in with
// textContent only.
"use strict";
window.citations = (() => {
  const { el } = window.dom;
  const MARKER = /\[(\d{1,3})\]/g;
  let uid = 0;

  // Some documents record their file path as source: a server path means nothing to a reader.
  function sourceLabel(source) {
    return !source || /^(\/|[A-Za-z]:\\)/.test(source) ? "" : source;
  }

  function docPath(docId) {
    return docId.split("/").map(encodeURIComponent).join("/");
  }

  function sourceUrl(citation) {
    const q = citation.quote ? `?passage=${encodeURIComponent(citation.quote)}` : "";
    return `/documents/${docPath(citation.doc_id)}${q}#chunk-${encodeURIComponent(citation.chunk_id)}`;
  }

  let openPreview = null;

  function closePreview() {
    if (!openPreview) return;
    openPreview.preview.hidden = true;
    openPreview.button.setAttribute("aria-expanded", "false");
    openPreview = null;
  }

  function citationMarker(citation) {
    const id = `apercu-${++uid}`;
    const quoteId = `${id}-texte`;
    const preview = el("span", { class: "preview", id, role: "group", "aria-label": `Source ${citation.n}`, hidden: true },
      el("span", { class: "preview-title", text: `${citation.title} — ${citation.locator}` }),
      el("q", { class: "preview-quote", id: quoteId, text: citation.quote }),
      el("a", { href: sourceUrl(citation), target: "_blank", rel: "noopener", class: "preview-link",
                text: "Ouvrir le document au passage cité" }));
    const button = el("button", { type: "button", class: "cite-btn", "aria-expanded": "false",
                                  "aria-controls": id, "aria-describedby": quoteId,
                                  "aria-label": `Source ${citation.n} : ${citation.title}`, text: String(citation.n) });
    const sup = el("sup", { class: "cite" }, button, preview);
    let hideTimer = null;
    let shownAt = 0;
    const show = () => {
      window.clearTimeout(hideTimer);
      if (openPreview && openPreview.preview !== preview) closePreview();
      if (preview.hidden) shownAt = Date.now();
      preview.hidden = false;
      button.setAttribute("aria-expanded", "true");
      openPreview = { preview, button };
    };
    const hideSoon = () => { hideTimer = window.setTimeout(() => { if (!sup.contains(document.activeElement)) closePreview(); }, 250); };
    sup.addEventListener("mouseenter", show);
    sup.addEventListener("mouseleave", hideSoon);
    button.addEventListener("focus", show);
    sup.addEventListener("focusout", (e) => { if (!sup.contains(e.relatedTarget)) hideSoon(); });
    // Tap / click / Enter toggles the preview (touch screens have no hover). A tap also fires focus and
    // mouseenter just before the click: a preview opened by them a moment ago stays open.
    button.addEventListener("click", (e) => {
      e.stopPropagation();
      const justOpened = Date.now() - shownAt < 500;
      if (!preview.hidden && !justOpened) closePreview(); else show();
    });
    sup.addEventListener("keydown", (e) => { if (e.key === "Escape") { closePreview(); button.focus(); } });
    return sup;
  }

  document.addEventListener("click", (e) => {
    if (openPreview && !openPreview.preview.parentNode.contains(e.target)) closePreview();
  });

  // Appends `text` to `node`, each [n] becoming the marker of citation n (kept as text when unknown).
  function appendCited(node, text, byN) {
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      const citation = byN.get(Number(match[1]));
      node.append(text.slice(last, match.index).replace(/\s+$/, ""));
      if (citation) node.append(citationMarker(citation)); else node.append(match[0]);
      last = match.index + match[0].length;
    }
    node.append(text.slice(last));
    return node;
  }

  return { sourceLabel, docPath, sourceUrl, citationMarker, appendCited };
})();
