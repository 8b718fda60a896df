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

  return { el, announce, saveResponse };
})();
