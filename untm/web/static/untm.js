// untm: search as you type, Enter copies the approved term, QA inline. The page works without
// this file (forms submit normally); nothing here talks to anything but this local server.
"use strict";
(() => {
  const form = document.getElementById("search-form");
  const q = document.getElementById("q");
  const to = document.getElementById("to");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const qaForm = document.getElementById("qa-form");
  const partial = { "X-Untm-Partial": "1" };
  let timer = null;
  let controller = null;

  const say = (text) => { status.textContent = text; };

  if (!new URLSearchParams(location.search).has("to")) {
    const saved = localStorage.getItem("untm-to");
    if (saved !== null) to.value = saved;
  }
  q.focus();
  q.setSelectionRange(q.value.length, q.value.length);

  function params() {
    const p = new URLSearchParams({ q: q.value.trim() });
    if (to.value) p.set("to", to.value);
    return p;
  }

  async function search(rendering) {
    if (controller) controller.abort();
    controller = new AbortController();
    const p = params();
    if (rendering) p.set("r", rendering);
    try {
      const response = await fetch("/search?" + p, { signal: controller.signal, headers: partial });
      results.innerHTML = await response.text();
      const shown = results.querySelector(".results");
      if (shown && shown.dataset.spotting === "pending") spot(p, controller.signal);
      const query = p.get("q");
      history.replaceState(null, "", query ? "/?" + p : "/");
      document.title = query ? query + " — untm" : "untm";
      const hidden = qaForm.querySelector("input[name=q]");
      if (hidden) hidden.value = query;
      followConcept();
    } catch (error) {
      if (error.name !== "AbortError") say("Search failed: " + error.message);
    }
  }

  // the renderings of the query in the hits (marks and summary), fetched after the hits
  async function spot(p, signal) {
    const q2 = new URLSearchParams(p);
    q2.set("spot", "1");
    try {
      const response = await fetch("/search?" + q2, { signal, headers: partial });
      const html = await response.text();
      const current = results.querySelector(".results");
      if (current && current.dataset.query === p.get("q")) results.innerHTML = html;
    } catch (error) {
      if (error.name !== "AbortError") say("Could not mark the renderings: " + error.message);
    }
  }

  // the "add a term" pane offers the concept of the first card until its box is edited
  const concept = document.querySelector("#term-form input[name=concept]");
  if (concept) concept.addEventListener("input", () => { concept.dataset.edited = "1"; });
  function followConcept() {
    const card = results.querySelector(".card");
    if (concept && !concept.dataset.edited) concept.value = card ? card.dataset.concept : "";
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    say("Copied " + text);
  }

  q.addEventListener("input", () => {
    clearTimeout(timer);
    say("");
    timer = setTimeout(() => search(), 200);
  });
  to.addEventListener("change", () => {
    localStorage.setItem("untm-to", to.value);
    search();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const shown = results.querySelector(".results");
    if (!shown || shown.dataset.query !== q.value.trim()) await search();
    const current = results.querySelector(".results");
    const approved = current ? current.dataset.approved : "";
    if (approved) copy(approved);
    else say("No approved term to copy.");
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (button) copy(button.dataset.copy);
    const rendering = event.target.closest("a.rendering");
    if (rendering) {  // filter the hits by a rendering without leaving the page
      event.preventDefault();
      search(rendering.dataset.r);
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      q.focus();
      q.select();
    } else if (event.key === "Escape" && document.activeElement === q) {
      q.value = "";
      search();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && qaForm.contains(document.activeElement)) {
      event.preventDefault();
      qaForm.requestSubmit();
    }
  });

  qaForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("qa-results");
    try {
      const response = await fetch(qaForm.action, { method: "POST", body: new FormData(qaForm), headers: partial });
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.getElementById("qa-results");
      box.innerHTML = fresh ? fresh.innerHTML : html;
    } catch (error) {
      box.textContent = "QA failed: " + error.message;
    }
  });
})();
