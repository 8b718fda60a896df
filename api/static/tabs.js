// Tabs (WAI-ARIA tabs pattern): works for any number of [role=tab] buttons, so new tools only add markup.
(() => {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  if (!tabs.length) return;

  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    }
    if (focus) tab.focus();
    tab.scrollIntoView({ block: "nearest", inline: "nearest" });  // a scrolled tab bar shows the selected tab
    if (tab.dataset.hash) history.replaceState(null, "", `#${tab.dataset.hash}`);
    document.dispatchEvent(new CustomEvent("tab-selected", { detail: { id: tab.id } }));
  }

  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (event) => {
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); select(next, true); }
    });
  });

  // The hash names the tab both ways: opening /#clauses, following a link to #clauses within the page or going
  // back in the history selects it.
  function selectFromHash() {
    const fromHash = tabs.find((t) => t.dataset.hash && `#${t.dataset.hash}` === location.hash);
    if (fromHash && fromHash.getAttribute("aria-selected") !== "true") select(fromHash, false);
  }
  window.addEventListener("hashchange", selectFromHash);
  selectFromHash();
})();
