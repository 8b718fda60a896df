// Chat: streamed answers (SSE over fetch), citations with previews, sources, copy, Word export, feedback,
// history. Every text coming from the server (answers, quotes, titles) is inserted with textContent or
// DOM nodes, never as HTML.
(() => {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  const button = document.getElementById("ask-button");
  const counter = document.getElementById("question-count");
  const messages = document.getElementById("messages");
  const welcome = document.getElementById("welcome");
  const statusEl = document.getElementById("chat-status");
  const historyList = document.getElementById("history-list");
  const historyEmpty = document.getElementById("history-empty");
  const historyToggle = document.getElementById("history-toggle");
  const historyBody = document.getElementById("history-body");
  let conversationId = null;
  let busy = false;
  let uid = 0;

  // --- small DOM helpers -------------------------------------------------------------------
  const { el, announce, saveResponse, api, errorText } = window.dom;

  function say(text) {
    announce(statusEl, text);
  }

  const { sourceLabel, docPath, sourceUrl, appendCited } = window.citations;

  // The limit is shown, never applied silently: past it the counter turns red and sending is refused with a
  // message (a browser's maxlength would cut a long paste without a word).
  const MAX_QUESTION = Number(input.dataset.max || 2000);
  function tooLong() { return input.value.length > MAX_QUESTION; }
  function autoGrow() {
    counter.textContent = `${input.value.length} / ${MAX_QUESTION}`;
    counter.classList.toggle("over-limit", tooLong());
    if (tooLong()) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  // --- SSE over fetch ------------------------------------------------------------------------
  async function streamAsk(body, on) {
    const response = await api("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(await errorText(response));
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const dispatch = (raw) => {
      let event = "message";
      const data = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length && on[event]) on[event](JSON.parse(data.join("\n")));
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
    if (buffer.trim()) dispatch(buffer);
  }

  // What the documents do not say of the question (a partial answer) ends the text; it is shown in a block of its
  // own, so the text keeps only what the passages say.
  function statedText(answer) {
    return (answer.missing || []).reduce((text, sentence) => text.replace(sentence, ""), answer.text);
  }

  function renderAnswerText(container, answer) {
    container.replaceChildren();
    const byN = new Map(answer.citations.map((c) => [c.n, c]));
    // A line that opens with a heading (a checklist's computed conclusion, an organisation's name) shows it apart
    // from the cited sentences that follow: it is the assistant's own text, not a quotation.
    const headings = (answer.framing || []).filter((f) => f.trim());
    for (const line of statedText(answer).split("\n")) {
      if (!line.trim()) continue;
      const heading = headings.find((h) => line.startsWith(h) && line.length > h.length);
      if (heading) {
        const p = el("p", { class: "answer-item" }, el("strong", { class: "answer-heading", text: heading }));
        container.append(appendCited(p, line.slice(heading.length), byN));
      } else {
        container.append(appendCited(el("p"), line, byN));
      }
    }
  }

  function renderMissing(answer) {
    if (answer.status !== "partial" || !(answer.missing || []).length) return null;
    const headingId = `manque-${++uid}`;
    return el("section", { class: "missing", "aria-labelledby": headingId },
      el("h3", { id: headingId, text: "Ce que les documents ne disent pas" }),
      el("ul", {}, ...answer.missing.map((sentence) => el("li", { text: sentence }))));
  }

  function renderSources(answer) {
    if (answer.citations.length) {
      const list = el("ol", { class: "sources-list" });
      for (const c of answer.citations) {
        list.append(el("li", { value: c.n },
          el("span", { class: "source-title", text: c.title }),
          el("span", { class: "source-meta", text: [` — ${c.locator}`, sourceLabel(c.source)].filter(Boolean).join(" · ") }),
          el("blockquote", { class: "source-quote", text: c.quote }),
          el("a", { href: sourceUrl(c), target: "_blank", rel: "noopener", text: "Voir le passage" })));
      }
      const headingId = `sources-${++uid}`;
      return el("section", { class: "sources", "aria-labelledby": headingId },
        el("h3", { id: headingId, text: `Sources (${answer.citations.length})` }), list);
    }
    if (answer.suggestions && answer.suggestions.length) {
      const list = el("ul", { class: "sources-list" });
      for (const s of answer.suggestions) {
        list.append(el("li", {}, el("a", { href: `/documents/${docPath(s.doc_id)}#chunk-${encodeURIComponent(s.chunk_id)}`,
                                           target: "_blank", rel: "noopener", text: `${s.title} — ${s.locator}` }),
                                  el("span", { class: "source-meta", text: sourceLabel(s.source) ? ` · ${sourceLabel(s.source)}` : "" })));
      }
      return el("section", { class: "sources" }, el("h3", { text: "Documents proches à consulter" }), list);
    }
    return null;
  }

  function plainText(answer) {
    let text = answer.text;
    if (answer.status === "partial") {
      text = `Réponse partielle\n\n${statedText(answer).trim()}\n\nCe que les documents ne disent pas :\n`
        + answer.missing.map((sentence) => `- ${sentence}`).join("\n");
    }
    if (answer.citations.length) {
      text += "\n\nSources :\n" + answer.citations.map((c) => {
        const source = sourceLabel(c.source) ? ` (${sourceLabel(c.source)})` : "";
        return `[${c.n}] ${c.title} — ${c.locator}${source} : « ${c.quote} »`;
      }).join("\n");
    }
    return text;
  }

  // --- actions -------------------------------------------------------------------------------
  async function copyAnswer(answer) {
    const text = plainText(answer);
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      const area = el("textarea", { class: "offscreen", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    say("Réponse copiée dans le presse-papiers.");
  }

  async function exportWord(answer, btn) {
    btn.disabled = true;
    say("Préparation du document Word…");
    try {
      const body = answer.message_id
        ? { conversation_id: answer.conversation_id, message_id: answer.message_id }
        : { answer };
      const response = await api("/api/answers/docx", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(await errorText(response));
      await saveResponse(response, "reponse.docx");
      say("Document Word téléchargé.");
    } catch (err) {
      say(`Export impossible : ${err.message}`);
    } finally {
      btn.disabled = false;
    }
  }

  async function sendFeedback(answer, rating, comment) {
    const response = await api("/api/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: answer.conversation_id, message_id: answer.message_id, rating, comment }),
    });
    if (!response.ok) throw new Error(await errorText(response));
  }

  function thumbIcon(down) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "thumb-icon");
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z");
    svg.append(path);
    if (down) svg.style.transform = "rotate(180deg)";
    return svg;
  }

  function actions(answer) {
    const bar = el("div", { class: "actions", role: "group", "aria-label": "Actions sur la réponse" });
    bar.append(el("button", { type: "button", class: "secondary", text: "Copier", onclick: () => copyAnswer(answer) }));
    const exportBtn = el("button", { type: "button", class: "secondary", text: "Exporter en Word" });
    exportBtn.addEventListener("click", () => exportWord(answer, exportBtn));
    bar.append(exportBtn);
    if (!answer.message_id) return bar;

    const commentId = `commentaire-${++uid}`;
    const commentForm = el("form", { class: "feedback-form", hidden: true },
      el("label", { for: commentId, text: "Commentaire (facultatif)" }),
      el("textarea", { id: commentId, rows: 2, maxlength: 2000 }),
      el("button", { type: "submit", text: "Envoyer le commentaire" }));
    const thanks = el("span", { class: "muted feedback-thanks", role: "status" });
    let rating = null;
    const rate = async (value, btn, other) => {
      try {
        await sendFeedback(answer, value, null);
        rating = value;
        btn.setAttribute("aria-pressed", "true");
        other.setAttribute("aria-pressed", "false");
        thanks.textContent = "Merci pour votre avis.";
        commentForm.hidden = false;
      } catch (err) {
        thanks.textContent = `Avis non enregistré : ${err.message}`;
      }
    };
    const up = el("button", { type: "button", class: "thumb", "aria-pressed": "false", "aria-label": "Réponse utile" },
      thumbIcon(false), el("span", { text: "Utile" }));
    const down = el("button", { type: "button", class: "thumb", "aria-pressed": "false", "aria-label": "Réponse pas utile" },
      thumbIcon(true), el("span", { text: "Pas utile" }));
    up.addEventListener("click", () => rate("up", up, down));
    down.addEventListener("click", () => rate("down", down, up));
    commentForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = commentForm.querySelector("textarea").value.trim();
      if (!text || !rating) return;
      try {
        await sendFeedback(answer, rating, text);
        commentForm.hidden = true;
        thanks.textContent = "Merci, votre commentaire est enregistré.";
      } catch (err) {
        thanks.textContent = `Commentaire non enregistré : ${err.message}`;
      }
    });
    bar.append(up, down, thanks, commentForm);
    return bar;
  }

  // --- messages ------------------------------------------------------------------------------
  function addMessage(question) {
    welcome.hidden = true;
    const answerText = el("div", { class: "answer-text" });
    const answerBox = el("div", { class: "answer", "aria-live": "polite", "aria-busy": "true" },
      el("h3", { class: "visually-hidden", text: "Réponse" }), answerText);
    const article = el("article", { class: "message" },
      el("div", { class: "question" }, el("h3", { class: "visually-hidden", text: "Question" }), el("p", { text: question })),
      answerBox);
    messages.append(article);
    return { article, answerBox, answerText };
  }

  function finishMessage(view, answer) {
    const { answerBox, answerText } = view;
    if (answer.notice) {
      answerBox.insertBefore(el("p", { class: "notice", role: "note", text: answer.notice }), answerText);
    }
    if (answer.abstained) {
      answerBox.insertBefore(el("p", { class: "notice abstained", role: "note",
        text: "L'assistant n'a pas trouvé la réponse dans les documents consultés : il préfère ne rien affirmer." },
        answer.reason ? el("span", { class: "abstention-reason", text: ` Motif : ${answer.reason}.` }) : null), answerText);
    }
    if (answer.status === "partial") {
      answerBox.insertBefore(el("p", { class: "partial-status", role: "note" },
        el("span", { class: "badge partial-badge", text: "Réponse partielle" }),
        " Les documents consultés ne répondent qu'à une partie de la question."), answerText);
    }
    answerBox.dataset.status = answer.status || "";
    renderAnswerText(answerText, answer);
    const missing = renderMissing(answer);
    if (missing) answerBox.append(missing);
    const sources = renderSources(answer);
    if (sources) answerBox.append(sources);
    answerBox.append(actions(answer));
    answerBox.setAttribute("aria-busy", "false");
    view.article.dataset.messageId = answer.message_id || "";
    view.article.dataset.conversationId = answer.conversation_id || "";
  }

  function failMessage(view, text) {
    view.answerText.replaceChildren(el("p", { class: "notice error", role: "alert", text }));
    view.answerBox.setAttribute("aria-busy", "false");
  }

  // --- state that survives a reload: the conversation in the URL, a question whose answer was cut ------------
  const PENDING = "alliance-question-en-cours";
  function rememberConversation(id) {
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("conversation", id);
    else url.searchParams.delete("conversation");
    history.replaceState(null, "", url);
  }
  function setPending(question) {
    try {
      if (question) sessionStorage.setItem(PENDING, JSON.stringify({ question, conversationId }));
      else sessionStorage.removeItem(PENDING);
    } catch (_) { /* private browsing: nothing kept, nothing lost beyond the reload */ }
  }
  function offerPending() {
    let pending = null;
    try { pending = JSON.parse(sessionStorage.getItem(PENDING) || "null"); } catch (_) { pending = null; }
    if (!pending || !pending.question) return;
    const asked = Array.from(messages.querySelectorAll(".question p")).map((p) => p.textContent);
    if (asked.length && asked[asked.length - 1] === pending.question) { setPending(null); return; }  // answered after all
    const again = el("button", { type: "button", text: "Reposer la question" });
    const drop = el("button", { type: "button", class: "ghost", text: "Ignorer" });
    const box = el("div", { class: "notice pending-question", role: "status" },
      el("p", {}, "Une réponse a été interrompue par le rechargement de la page. Votre question : ",
        el("q", { text: pending.question })), again, " ", drop);
    again.addEventListener("click", () => { box.remove(); setPending(null); ask(pending.question); });
    drop.addEventListener("click", () => { box.remove(); setPending(null); input.focus(); });
    messages.before(box);
  }

  async function ask(question) {
    busy = true;
    setPending(question);
    button.disabled = true;
    const view = addMessage(question);
    view.answerText.append(el("p", { class: "muted typing", text: "Recherche dans les documents…" }));
    view.article.scrollIntoView({ block: "end" });
    say("Recherche dans les documents…");
    let streamed = "";
    const live = el("p", { class: "streaming" });
    try {
      await streamAsk({ question, conversation_id: conversationId }, {
        start: (data) => { conversationId = data.conversation_id; rememberConversation(conversationId); setPending(question); },
        delta: (data) => {
          if (!streamed) view.answerText.replaceChildren(live);
          streamed += data.text;
          live.textContent = streamed;
          view.answerBox.dataset.deltas = String(Number(view.answerBox.dataset.deltas || 0) + 1);
        },
        answer: (answer) => {
          conversationId = answer.conversation_id || conversationId;
          rememberConversation(conversationId);
          setPending(null);
          finishMessage(view, answer);
          const sources = `${answer.citations.length} source${answer.citations.length > 1 ? "s" : ""}`;
          say(answer.abstained ? "Pas de réponse trouvée dans les documents." :
            answer.status === "partial"
              ? `Réponse partielle reçue, ${sources} : les documents ne disent pas tout ce que demande la question.`
              : `Réponse reçue, ${sources}.`);
        },
        error: (data) => { setPending(null); failMessage(view, data.detail); say(data.detail); },
      });
      if (view.answerBox.getAttribute("aria-busy") === "true") failMessage(view, "La réponse a été interrompue : réessayez.");
    } catch (err) {
      const text = err instanceof TypeError ? "Le serveur ne répond pas." : err.message;
      setPending(null);
      failMessage(view, text);
      say(text);
    } finally {
      busy = false;
      button.disabled = false;
      loadHistory();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    const question = input.value.trim();
    if (!question) { say("Écrivez une question."); input.focus(); return; }
    if (tooLong()) {
      say(`Votre question fait ${input.value.length.toLocaleString("fr-FR")} caractères : la limite est de ` +
          `${MAX_QUESTION.toLocaleString("fr-FR")}. Raccourcissez-la avant de l'envoyer (rien n'a été envoyé).`);
      input.focus();
      return;
    }
    input.value = "";
    autoGrow();
    ask(question);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", autoGrow);

  // --- history -------------------------------------------------------------------------------
  async function loadHistory() {
    try {
      const response = await fetch("/api/conversations?limit=30");
      if (!response.ok) return;
      const items = await response.json();
      historyList.replaceChildren();
      historyEmpty.hidden = items.length > 0;
      for (const c of items) {
        const when = new Date(c.updated_at);
        const label = Number.isNaN(when.getTime()) ? "" : when.toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
        const btn = el("button", { type: "button", class: "history-item",
                                   "aria-current": c.conversation_id === conversationId ? "true" : null },
          el("span", { class: "history-title", text: c.title }),
          el("span", { class: "muted history-date", text: `${label} · ${c.n_messages} question${c.n_messages > 1 ? "s" : ""}` }));
        btn.addEventListener("click", () => openConversation(c.conversation_id));
        historyList.append(el("li", {}, btn));
      }
    } catch (_) { /* the sidebar is optional: the chat works without it */ }
  }

  async function openConversation(id) {
    if (busy) return;
    try {
      const response = await fetch(`/api/conversations/${encodeURIComponent(id)}`);
      const data = await response.json();
      if (!response.ok) { say(data.detail || "Conversation introuvable."); return; }
      conversationId = id;
      rememberConversation(id);
      welcome.hidden = true;
      messages.replaceChildren();
      for (const m of data.messages) {
        const view = addMessage(m.question);
        finishMessage(view, { ...m.answer, conversation_id: id, message_id: m.message_id });
      }
      say(`Conversation « ${data.title} » ouverte.`);
      loadHistory();
      input.focus();
    } catch (_) {
      say("Le serveur ne répond pas.");
    }
  }

  document.getElementById("new-chat").addEventListener("click", () => {
    conversationId = null;
    rememberConversation(null);
    messages.replaceChildren();
    welcome.hidden = false;
    loadHistory();
    say("Nouvelle conversation.");
    input.focus();
  });

  historyToggle.addEventListener("click", () => {
    const open = historyToggle.getAttribute("aria-expanded") !== "true";
    historyToggle.setAttribute("aria-expanded", String(open));
    historyToggle.textContent = open ? "Masquer" : "Afficher";
    historyBody.classList.toggle("open", open);
  });

  autoGrow();
  loadHistory();
  // After a reload: the conversation of the URL is opened again, then a question whose answer was cut is offered.
  const fromUrl = new URL(window.location.href).searchParams.get("conversation");
  (fromUrl ? openConversation(fromUrl) : Promise.resolve()).then(offerPending);
})();
