// « Vérifier un texte » (Notes & communiqués tab): a pasted draft or a .txt/.md/.docx file → POST /api/verify,
// a summary then one finding per figure, quotation and attribution (status, what the sources say, the source
// sentence, the correction taken from it); « Télécharger en Word » returns the draft with the findings as
// comments. The file is read in the browser and sent with the request: nothing is stored on the server.
// Every text from the server or the user is inserted with textContent or DOM nodes, never as HTML.
(() => {
  const form = document.getElementById("verify-form");
  if (!form) return;
  const { el, announce, saveResponse, api, errorText } = window.dom;
  const textInput = document.getElementById("verify-text");
  const fileInput = document.getElementById("verify-file");
  const submitBtn = document.getElementById("verify-submit");
  const docxBtn = document.getElementById("verify-docx");
  const statusEl = document.getElementById("verify-status");
  const alertEl = document.getElementById("verify-alert");
  const results = document.getElementById("verify-results");
  const output = document.getElementById("verify-output");  // beside the forms, where there is room to read
  const counter = document.getElementById("verify-count");
  const max = Number(textInput.getAttribute("maxlength")) || 100000;
  const LABELS = { confirmed: "Confirmé", different: "Différent dans les sources", not_found: "Introuvable",
    misattributed: "Attribué à tort", old: "Ancien" };
  let lastBody = null;
  let busy = false;

  const say = (text) => announce(statusEl, text);
  const showError = (text) => alertEl.replaceChildren(el("p", { class: "notice error", text }));

  function count() {
    const n = textInput.value.length;
    counter.textContent = n ? `${n.toLocaleString("fr-FR")} / ${max.toLocaleString("fr-FR")} caractères` : "";
  }
  textInput.addEventListener("input", count);
  // A file chosen replaces the pasted text as the draft to check (said, so that nothing is mixed silently).
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) say(`Fichier choisi : ${fileInput.files[0].name} (il sera vérifié à la place du texte collé).`);
  });

  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(new Error("Lecture du fichier impossible."));
      reader.readAsDataURL(file);
    });
  }

  async function body() {
    const file = fileInput.files[0];
    if (file) {
      if (file.size > 5 * 1024 * 1024) throw new Error("Fichier trop volumineux : 5 Mo au plus.");
      return { file_name: file.name, file_base64: await readBase64(file) };
    }
    const text = textInput.value;
    if (!text.trim()) throw new Error("Collez le texte à vérifier ou choisissez un fichier.");
    return { text };
  }

  function setBusy(on, text) {
    busy = on;
    submitBtn.disabled = on;
    docxBtn.disabled = on || !lastBody;
    results.setAttribute("aria-busy", on ? "true" : "false");
    if (text) say(text);
  }

  function findingItem(finding) {
    const item = el("li", { class: `finding finding-${finding.status}` },
      el("p", {}, el("span", { class: `badge status-${finding.status}`, text: LABELS[finding.status] || finding.status }),
        " ", el("strong", { text: finding.claim })),
      el("p", { text: finding.message }));
    if (finding.status !== "confirmed") item.append(el("p", { class: "muted", text: `Dans votre texte : ${finding.sentence}` }));
    if (finding.evidence) {
      const ev = finding.evidence;
      const where = [ev.title, ev.locator, ev.date].filter(Boolean).join(" — ");
      item.append(el("details", {}, el("summary", { text: `Source : ${where}` }),
        el("blockquote", { text: ev.sentence })));
    }
    if (finding.suggestion && finding.status !== "confirmed") {
      item.append(el("p", { class: "suggestion" }, "Selon la source : ", el("strong", { text: finding.suggestion })));
    }
    return item;
  }

  function show(report) {
    const toReview = report.findings.filter((f) => f.status !== "confirmed");
    const list = el("ol", { class: "findings" });
    // What to correct first, then what is confirmed.
    for (const f of [...toReview, ...report.findings.filter((f) => f.status === "confirmed")]) list.append(findingItem(f));
    output.hidden = false;
    results.replaceChildren(
      el("p", { class: toReview.length ? "notice" : "notice ok", id: "verify-summary", text: report.summary }),
      report.findings.length ? list : el("p", { class: "muted", text: "Rien à vérifier : le texte ne donne ni chiffre, ni citation, ni attribution." }));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    alertEl.replaceChildren();
    let request;
    try {
      request = await body();
    } catch (error) {
      showError(error.message);
      return;
    }
    setBusy(true, "Vérification en cours…");
    try {
      const response = await api("/api/verify", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(request) });
      if (!response.ok) {
        showError(await errorText(response));
        say("Vérification impossible.");
        return;
      }
      const report = await response.json();
      lastBody = request;
      show(report);
      say(`Vérification terminée : ${report.summary}`);
      output.scrollIntoView({ block: "nearest" });
    } catch (_) {
      showError("Le serveur ne répond pas : vérifiez votre connexion et réessayez.");
      say("Vérification impossible.");
    } finally {
      setBusy(false);
    }
  });

  docxBtn.addEventListener("click", async () => {
    if (!lastBody || busy) return;
    setBusy(true, "Préparation du document Word…");
    try {
      const response = await api("/api/verify/docx", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(lastBody) });
      if (!response.ok) {
        showError(await errorText(response));
        return;
      }
      await saveResponse(response, "texte-verifie.docx");
      say("Document Word téléchargé.");
    } catch (_) {
      showError("Le serveur ne répond pas : vérifiez votre connexion et réessayez.");
    } finally {
      setBusy(false);
    }
  });
})();
