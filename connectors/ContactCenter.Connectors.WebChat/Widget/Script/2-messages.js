  // widget.js part 2 of 3 (concatenated after 1-core.js, inside its function): the thread, sending and uploads.
  // ---- messages ----
  var shown = {}, shownCids = {}, pendingEls = {}, maxId = 0, nextCursor, historyLoaded = false, greeted = false, readUpTo = 0;
  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function fileEl(a) {
    if (/^image\/(png|jpe?g|gif|webp|bmp)$/i.test(a.contentType)) {
      var img = el("img");
      img.alt = a.fileName;
      fileBlob(a).then(function (b) { img.src = URL.createObjectURL(b); }, function () { img.replaceWith(el("span", "", a.fileName)); });
      return img;
    }
    var link = el("a", "file", a.fileName);
    link.href = "#";
    link.title = t("download");
    link.onclick = function (ev) {
      ev.preventDefault();
      fileBlob(a).then(function (b) {
        var tmp = document.createElement("a");
        tmp.href = URL.createObjectURL(b);
        tmp.download = a.fileName;
        root.appendChild(tmp);
        tmp.click();
        tmp.remove();
      }, function () { notice(t("failed")); });
    };
    return link;
  }
  function bubble(m) {
    var b = el("div", "b " + (m.direction === "inbound" ? "in" : "out"), m.text || "");
    (m.attachments || []).forEach(function (a) { b.appendChild(fileEl(a)); });
    if (m.csat) b.appendChild(csatEl(m.csat));
    var meta = (m.direction === "outbound" && m.sender && m.sender.name ? m.sender.name + " \u00b7 " : "") + time(m.createdAt);
    var small = el("small", "", meta);
    if (m.direction === "inbound") small.appendChild(el("span", "st"));
    b.appendChild(small);
    b.setAttribute("data-id", m.id);
    return b;
  }
  // A satisfaction survey: five buttons until the visitor rates (once; the first rating stands).
  function csatEl(c) {
    var box = el("div", "cs");
    if (c.rating) { box.appendChild(el("span", "", t("rated", { n: c.rating }))); return box; }
    [1, 2, 3, 4, 5].forEach(function (n) {
      var btn = el("button", "", String(n));
      btn.type = "button";
      btn.setAttribute("aria-label", t("rate", { n: n }));
      btn.setAttribute("data-rating", n);
      btn.onclick = function () {
        authed("POST", "/api/widget/csat", { surveyId: c.surveyId, rating: n }).then(function () {
          box.replaceWith(csatEl({ surveyId: c.surveyId, rating: n }));
        }, function (e) { notice(problem(e)); });
      };
      box.appendChild(btn);
    });
    return box;
  }
  function add(m) {
    if (!m) return;
    if (m.clientMessageId) { shownCids[m.clientMessageId] = true; dropUnsent(m.clientMessageId); }
    if (shown[m.id]) {
      // Already shown (from the history, or the live update came first): a copy still pending for it goes.
      var copy = m.clientMessageId && pendingEls[m.clientMessageId];
      if (copy) { copy.remove(); delete pendingEls[m.clientMessageId]; }
      return;
    }
    shown[m.id] = true;
    if (m.conversationId && !state.conv) { state.conv = m.conversationId; save(); }
    var pending = m.clientMessageId && pendingEls[m.clientMessageId];
    var b = bubble(m), after = null;
    if (pending) { list.replaceChild(b, pending); delete pendingEls[m.clientMessageId]; }
    else {
      // keep order by id: later history pages and catch-up may arrive out of order
      var nodes = list.querySelectorAll(".b[data-id]");
      for (var i = 0; i < nodes.length; i++) if (+nodes[i].getAttribute("data-id") > m.id) { after = nodes[i]; break; }
      list.insertBefore(b, after || pendingFirst());
    }
    if (m.id > maxId) maxId = m.id;
    if (m.direction === "outbound") {
      typingLine.textContent = "";
      if (m.id > (state.read || 0)) { if (isOpen()) markRead(); else dot.className = "d on"; }
    }
    showRead();
    if (!after) list.scrollTop = list.scrollHeight;
  }
  function pendingFirst() {
    return list.querySelector(".pending,.failed,.e,.fm");
  }
  function markRead() {
    if (maxId > (state.read || 0)) { state.read = maxId; save(); }
    dot.className = "d";
  }
  // A manager read the conversation: the visitor's own messages up to that one say so.
  function setRead(upTo) {
    if (upTo > readUpTo) { readUpTo = upTo; showRead(); }
  }
  function showRead() {
    var mine = list.querySelectorAll(".b.in[data-id]");
    for (var i = 0; i < mine.length; i++) {
      var s = mine[i].querySelector(".st");
      if (s && +mine[i].getAttribute("data-id") <= readUpTo && !s.textContent) { s.textContent = " \u00b7 \u2713 " + t("read"); mine[i].className += " rd"; }
    }
  }
  function page(cursor) {
    return authed("GET", "/api/widget/messages?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")).then(function (p) {
      p.items.forEach(add);
      if (p.readUpTo) setRead(p.readUpTo);
      return p;
    });
  }
  function loadHistory() {
    if (historyLoaded || !state.conv) return Promise.resolve();
    historyLoaded = true;
    return page().then(function (p) { setMore(p.nextCursor); }, function () { historyLoaded = false; });
  }
  var moreBtn;
  function setMore(cursor) {
    nextCursor = cursor;
    if (moreBtn) { moreBtn.remove(); moreBtn = null; }
    if (!cursor) return;
    moreBtn = el("button", "more", t("earlier"));
    moreBtn.onclick = function () { page(nextCursor).then(function (p) { setMore(p.nextCursor); }); };
    list.insertBefore(moreBtn, list.firstChild);
  }
  function notice(text, keep) {
    var n = el("div", "n", text);
    list.appendChild(n);
    list.scrollTop = list.scrollHeight;
    if (!keep) setTimeout(function () { n.remove(); }, 8000);
  }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2); }

  // Half of an emoji cut off (a lone surrogate, e.g. by a keyboard or a paste) is not valid JSON text: the service refused
  // the whole message as a value of the wrong type. It is sent as U+FFFD, as web forms store such characters.
  function wellFormed(text) {
    return typeof text.toWellFormed === "function" ? text.toWellFormed()
      : text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, function (m, before) { return (before || "") + "\uFFFD"; });
  }
  // A message the service has not answered yet survives a reload: kept in the widget's storage with its clientMessageId
  // (which the service stores once, however often it is sent) until it is stored or refused, and sent again when the
  // page comes back.
  function keepUnsent(cid, text) { state.unsent = state.unsent || {}; state.unsent[cid] = text; save(); }
  function dropUnsent(cid) { if (state.unsent && cid in state.unsent) { delete state.unsent[cid]; save(); } }
  function resendUnsent() {
    var unsent = state.unsent || {};
    Object.keys(unsent).forEach(function (cid) {
      if (shownCids[cid]) dropUnsent(cid);
      else if (!pendingEls[cid]) send(unsent[cid], cid);
    });
  }
  function send(text, cid, pendingEl) {
    text = wellFormed(text);
    cid = cid || newId();
    keepUnsent(cid, text);
    var p = pendingEl || el("div", "b in pending", text);
    p.className = "b in pending";
    p.onclick = null;
    pendingEls[cid] = p;
    if (!pendingEl) list.appendChild(p);
    list.scrollTop = list.scrollHeight;
    authed("POST", "/api/widget/messages", { text: text, clientMessageId: cid }).then(function (m) {
      var first = !state.conv;
      add(m);
      connect();
      if (first && !state.profiled && !(state.cfg && state.cfg.preChat && state.cfg.preChat.enabled)) askProfile();
    }, function (e) {
      if (e.status === 400 && e.errors && e.errors.preChat) { p.remove(); delete pendingEls[cid]; dropUnsent(cid); state.preChatDone = false; save(); input.value = text; showForms(); return; }
      // Refused, so not stored: the text goes back into the composer (unless another is being typed there), never lost.
      if (e.status === 400 || e.status === 403) { p.remove(); delete pendingEls[cid]; dropUnsent(cid); if (!input.value) input.value = text; notice(problem(e)); return; }
      p.className = "b in failed";
      p.title = e.status === 429 ? t("tooFast", { s: e.retryAfter || 30 }) : t("notSent");
      if (e.status === 429) notice(t("tooFast", { s: e.retryAfter || 30 }));
      p.onclick = function () { send(text, cid, p); };
    });
  }
  function upload(file) {
    if (file.size > ((state.cfg && state.cfg.maxUploadBytes) || 10485760)) { notice(t("fileTooLarge", { mb: mb() })); return; }
    var cid = newId(), p = el("div", "b in pending", file.name);
    pendingEls[cid] = p;
    list.appendChild(p);
    list.scrollTop = list.scrollHeight;
    var form = new FormData();
    form.append("clientMessageId", cid);
    form.append("file", file, file.name);
    authed("POST", "/api/widget/attachments", null, form).then(function (m) { add(m); connect(); }, function (e) {
      p.remove();
      delete pendingEls[cid];
      if (e.status === 400 && e.errors && e.errors.preChat) { state.preChatDone = false; save(); showForms(); return; }
      notice(problem(e));
    });
  }
  function askProfile() {
    var f = el("form", "e");
    f.appendChild(el("p", "", t("askProfile")));
    var n = el("input"); n.placeholder = t("name"); n.maxLength = 200; n.autocomplete = "name";
    var m = el("input"); m.type = "text"; m.inputMode = "email"; m.placeholder = t("email"); m.maxLength = 254; m.autocomplete = "email";
    var ok = el("button", "", t("save")); ok.type = "submit";
    var no = el("button", "", "\u00d7"); no.type = "button"; no.setAttribute("aria-label", t("noThanks"));
    f.appendChild(n); f.appendChild(m); f.appendChild(ok); f.appendChild(no);
    function done() { state.profiled = true; save(); f.remove(); }
    no.onclick = done;
    f.onsubmit = function (ev) {
      ev.preventDefault();
      if (!n.value.trim() && !m.value.trim()) return;
      authed("POST", "/api/widget/profile", { name: n.value.trim() || null, email: m.value.trim() || null })
        .then(function () { done(); notice(t("thanks")); }, function (e) { f.querySelector("p").textContent = problem(e); });
    };
    list.appendChild(f);
    list.scrollTop = list.scrollHeight;
  }

