// Minimal search page: results are inserted with textContent only (no HTML from documents).
const form = document.getElementById("search-form");
const statusEl = document.getElementById("status");
const list = document.getElementById("results");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (!q) { statusEl.textContent = "Saisissez une question."; return; }
  statusEl.textContent = "Recherche en cours…";
  list.replaceChildren();
  try {
    const response = await fetch(`/api/search?q=${encodeURIComponent(q)}&k=5`);
    const data = await response.json();
    if (!response.ok) { statusEl.textContent = data.detail || "Erreur du serveur."; return; }
    statusEl.textContent = data.length ? `${data.length} passages trouvés.` : "Aucun passage trouvé.";
    for (const hit of data) {
      const li = document.createElement("li");
      const title = document.createElement("strong");
      title.textContent = `${hit.title} — ${hit.locator}`;
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = `${hit.doc_type} · ${hit.source}`;
      const text = document.createElement("p");
      text.className = "text";
      text.textContent = hit.text;
      li.append(title, meta, text);
      list.append(li);
    }
  } catch (err) {
    statusEl.textContent = "Le serveur ne répond pas.";
  }
});
