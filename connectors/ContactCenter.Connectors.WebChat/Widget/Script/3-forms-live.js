  // widget.js part 3 of 3 (concatenated after 2-messages.js): pre-chat and offline forms, the live connection, open/close.
  // ---- pre-chat and offline forms: shown instead of the composer until the conversation exists ----
  var formEl = null, online = null;
  function closeForm() { if (formEl) { formEl.remove(); formEl = null; } composer.className = "f"; }
  function showForms() {
    var c = state.cfg || {}, pre = c.preChat || {};
    if (state.conv) { closeForm(); return Promise.resolve(); }
    return (online === null ? authed("GET", "/api/widget/presence").then(function (r) { online = !!r.online; }, function () { online = true; }) : Promise.resolve())
      .then(function () {
        if (state.conv) return closeForm();
        if (!online) return openForm("offline");
        if (pre.enabled && !state.preChatDone) return openForm("prechat");
        closeForm();
      });
  }
  function mode(field) {
    var pre = (state.cfg && state.cfg.preChat) || {};
    return pre.enabled ? pre[field] || "off" : "off";
  }
  function openForm(kind) {
    if (formEl && formEl.getAttribute("data-kind") === kind) return;
    closeForm();
    composer.className = "f off";
    var f = formEl = el("form", "fm");
    f.setAttribute("data-kind", kind);
    f.noValidate = true;
    f.appendChild(el("p", "", kind === "offline" ? t("offlineIntro") : t("preChatIntro")));
    var inputs = {};
    ["name", "email", "phone"].forEach(function (name) {
      var m = kind === "offline" ? (mode(name) === "required" ? "required" : "optional") : mode(name);
      if (m === "off") return;
      inputs[name] = field(f, name, t(name), m === "required", name === "email" ? "email" : name === "phone" ? "tel" : "text");
    });
    if (kind === "offline") inputs.text = field(f, "text", t("yourMessage"), true, "textarea");
    var ok = el("button", "", kind === "offline" ? t("offlineSend") : t("start"));
    ok.type = "submit";
    f.appendChild(ok);
    f.onsubmit = function (ev) {
      ev.preventDefault();
      var values = {}, bad = false;
      Object.keys(inputs).forEach(function (name) {
        var i = inputs[name], v = i.input.value.trim();
        values[name] = v || null;
        var err = v ? (name === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? t("badEmail")
          : name === "phone" && !/^(\+|00)[\d\s().-]{6,}$/.test(v) ? t("badPhone") : "") : i.required ? t("required") : "";
        i.error.textContent = err;
        if (err) bad = true;
      });
      if (kind === "offline" && !values.email && !values.phone && !bad) {
        (inputs.email || inputs.phone).error.textContent = t("contactNeeded");
        bad = true;
      }
      if (bad) return;
      ok.disabled = true;
      var done = kind === "offline"
        ? authed("POST", "/api/widget/offline", { name: values.name, email: values.email, phone: values.phone, text: values.text, clientMessageId: newId() })
          .then(function (r) { closeForm(); add(r.message); notice(r.offlineMessage || t("offlineDone"), true); connect(); })
        : authed("POST", "/api/widget/prechat", { name: values.name, email: values.email, phone: values.phone })
          .then(function () { state.preChatDone = true; state.profiled = true; save(); closeForm(); input.focus(); });
      done.catch(function (e) {
        ok.disabled = false;
        var shownError = false;
        Object.keys((e && e.errors) || {}).forEach(function (name) {
          var i = inputs[name];
          if (!i) return;
          var said = String(e.errors[name][0] || "");
          i.error.textContent = /required/.test(said) ? t("required") : /email or a phone/.test(said) ? t("contactNeeded")
            : name === "email" ? t("badEmail") : name === "phone" ? t("badPhone") : name === "text" ? t("tooLong") : t("failed");
          shownError = true;
        });
        if (!shownError) notice(problem(e));
      });
    };
    list.appendChild(f);
    list.scrollTop = list.scrollHeight;
    var first = f.querySelector("input,textarea");
    if (first) setTimeout(function () { first.focus(); }, 0);
  }
  function field(form, name, label, required, type) {
    var l = el("label"), span = el("span", "", label + (required ? " *" : ""));
    var i = type === "textarea" ? el("textarea") : el("input");
    // An email as text: a browser's type="email" sends an IDN domain as punycode, so one address would arrive in two forms.
    if (type === "email") { i.type = "text"; i.inputMode = "email"; } else if (type !== "textarea") i.type = type;
    i.name = name;
    i.setAttribute("aria-label", label);
    if (required) i.setAttribute("aria-required", "true");
    i.maxLength = type === "textarea" ? 5000 : name === "email" ? 254 : 200;
    if (name === "name") i.autocomplete = "name"; else if (name === "email") i.autocomplete = "email"; else if (name === "phone") i.autocomplete = "tel";
    var error = el("div", "er");
    l.appendChild(span); l.appendChild(i); l.appendChild(error);
    form.appendChild(l);
    return { input: i, error: error, required: required };
  }

  // ---- live: SignalR JSON protocol over a WebSocket (negotiation skipped) ----
  var ws = null, wsReady = false, attempt = 0, timer = null, pinger = null, lastSeen = 0, typingTimer = null, stopped = false, typedAt = 0;
  function connect() {
    if (ws || stopped || !window.WebSocket || !(state.conv || isOpen())) return;
    clearTimeout(timer);
    session().then(function () {
      if (ws) return;
      var s = ws = new WebSocket(base.replace(/^http/, "ws") + "/hubs/widget?access_token=" + encodeURIComponent(state.token));
      var ready = false;
      s.onopen = function () { s.send(JSON.stringify({ protocol: "json", version: 1 }) + RS); };
      s.onmessage = function (ev) {
        lastSeen = Date.now();
        String(ev.data).split(RS).forEach(function (frame) {
          if (!frame) return;
          var msg = JSON.parse(frame);
          if (!ready) {
            ready = true;
            if (msg.error) return s.close();
            attempt = 0;
            wsReady = true;
            pinger = setInterval(function () {
              if (Date.now() - lastSeen > 35000) return s.close(); // the server pings every 15 s: this one is dead
              s.send(JSON.stringify({ type: 6 }) + RS);
            }, 15000);
            catchUp();
            return;
          }
          if (msg.type === 1 && msg.target === "messageCreated") add(msg.arguments[0]);
          else if (msg.type === 1 && msg.target === "typing") showTyping(msg.arguments[0]);
          else if (msg.type === 1 && msg.target === "read") setRead(msg.arguments[0].upToMessageId);
          else if (msg.type === 7) { if (msg.error) state.exp = 0; s.close(); } // refused: renew the token on the next try
        });
      };
      s.onclose = function () {
        clearInterval(pinger);
        if (ws === s) { ws = null; wsReady = false; }
        retry();
      };
    }, function (e) {
      if (e.status === 403 || e.status === 404) { stopped = true; return; } // this page may not use the chat
      retry();
    });
  }
  function retry() {
    if (stopped) return;
    clearTimeout(timer);
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt++)) * (0.5 + Math.random() / 2);
    timer = setTimeout(connect, delay);
  }
  function reconnectNow() { if (!ws) { attempt = 0; connect(); } }
  // Replies sent while the connection was down come from the history.
  function catchUp() {
    page().then(function (p) { if (!historyLoaded) { historyLoaded = true; setMore(p.nextCursor); } }, function () {});
  }
  function showTyping(tp) {
    typingLine.textContent = t("typing", { name: (tp && tp.name) || t("someone") });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  }
  // The visitor's typing reaches the managers (a fire-and-forget invocation), at most every 2 s.
  function typed() {
    if (!wsReady || !ws || !state.conv || Date.now() - typedAt < 2000) return;
    typedAt = Date.now();
    try { ws.send(JSON.stringify({ type: 1, target: "Typing", arguments: [] }) + RS); } catch (e) { /* a lost hint is harmless */ }
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) reconnectNow(); });
  window.addEventListener("online", reconnectNow);
  // Another tab started the conversation: this one hears replies too (the unread dot) without being opened.
  window.addEventListener("storage", function (ev) {
    if (ev.key !== storeKey) return;
    adopt();
    if (state.conv) connect();
  });

  // ---- open / close ----
  function isOpen() { return panel.className === "p on"; }
  function open() {
    panel.className = "p on";
    launcher.setAttribute("aria-label", t("close"));
    session().then(function () {
      applyConfig();
      var greeting = t("greeting") || (state.cfg && state.cfg.greeting);
      if (!greeted && greeting) { greeted = true; list.insertBefore(el("div", "b g", greeting), list.firstChild); }
      return loadHistory();
    }).then(function () { markRead(); connect(); resendUnsent(); return showForms(); }, function (e) { notice(problem(e)); });
    setTimeout(function () { if (!formEl) input.focus(); }, 0);
  }
  function close() {
    panel.className = "p";
    launcher.setAttribute("aria-label", t("open"));
  }
  launcher.onclick = function () { isOpen() ? close() : open(); };
  $(".x").onclick = close;
  composer.onsubmit = function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  };
  input.onkeydown = function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); composer.requestSubmit ? composer.requestSubmit() : composer.onsubmit(ev); }
  };
  input.oninput = typed;
  attachBtn.onclick = function () { picker.click(); };
  picker.onchange = function () {
    var files = Array.prototype.slice.call(picker.files || []);
    picker.value = "";
    files.forEach(upload);
  };
  applyConfig();
  window.ContactCenterChat = { open: open, close: close };

  // A returning visitor with a conversation hears replies (and sees the unread dot) without opening the panel.
  if (state.conv) connect();
  // A message left unanswered by the last page (closed, reloaded, offline) is sent now, after the history that may
  // already hold it, without waiting for the panel to be opened.
  if (state.unsent && Object.keys(state.unsent).length) {
    session().then(loadHistory).then(resendUnsent, function () {});
  }
})();
