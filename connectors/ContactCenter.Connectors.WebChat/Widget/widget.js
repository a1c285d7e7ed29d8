/* ContactCenter chat widget. Embed: <script src="https://YOUR-HOST/widget.js" data-widget-key="KEY" async></script>
   Optional: data-identifier + data-identifier-hash (hex HMAC-SHA256 of the identifier with the channel secret),
   data-name, data-email, data-language (en, ru: wins over the channel's setting). No framework; a closed shadow
   root keeps the page's CSS and scripts out. Live replies over /hubs/widget with a minimal SignalR JSON-protocol
   client on a WebSocket. Every visitor-facing text comes from the string table below (English, Russian), overridden
   per channel (`strings`), never from the server's English error details. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script || window.__ccWidget) return;
  var key = script.getAttribute("data-widget-key");
  if (!key) return;
  window.__ccWidget = true;
  var base = script.src.replace(/\/widget\.js(\?.*)?$/, "");
  var ident = script.getAttribute("data-identifier") || "";
  var identHash = script.getAttribute("data-identifier-hash") || "";
  var RS = "\u001e";
  var storeKey = "cc-widget:" + key;

  // ---- texts ----
  var TEXTS = {
    en: {
      title: "Chat with us", open: "Open chat", close: "Close chat", message: "Message", placeholder: "Write a message\u2026",
      send: "Send", attach: "Attach a file", earlier: "Earlier messages", typing: "{name} is typing\u2026", someone: "Someone",
      read: "Read", sending: "Sending\u2026", notSent: "Not sent. Tap to retry.", tooFast: "You are sending messages too fast; wait {s} s.",
      unavailable: "The chat is not available right now.", notAllowed: "This page may not use this channel.",
      failed: "Something went wrong. Please try again.", tooLong: "The message is too long.",
      askProfile: "Leave your email so we can answer even if you leave the page.", save: "Save", noThanks: "No thanks",
      thanks: "Thanks! We will reply here or by email.", name: "Name", email: "Email", phone: "Phone",
      required: "Please fill this in.", badEmail: "Enter a valid email address.",
      badPhone: "Enter the number with the country code, e.g. +1 415 555 0100.",
      preChatIntro: "Please introduce yourself before we start.", start: "Start chat",
      offlineIntro: "We are offline right now. Leave a message and we will get back to you.",
      offlineSend: "Send message", offlineDone: "Thank you! We will answer by email or phone within one business day.",
      contactNeeded: "Give an email or a phone so we can answer.",
      fileTooLarge: "The file is larger than {mb} MB.",
      fileType: "This type of file cannot be sent. Images, PDF, office documents and text files are accepted.",
      file: "File", download: "Download", yourMessage: "Your message",
      rate: "Rate {n} of 5", rated: "Thank you! You rated {n} of 5."
    },
    ru: {
      title: "Напишите нам", open: "Открыть чат",
      close: "Закрыть чат", message: "Сообщение",
      placeholder: "Напишите сообщение…",
      send: "Отправить", attach: "Прикрепить файл",
      earlier: "Ранние сообщения", typing: "{name} печатает…",
      someone: "Собеседник", read: "Прочитано",
      sending: "Отправка…",
      notSent: "Не отправлено. Нажмите, чтобы повторить.",
      tooFast: "Вы отправляете сообщения слишком часто; подождите {s} с.",
      unavailable: "Чат сейчас недоступен.",
      notAllowed: "На этой странице чат недоступен.",
      failed: "Что-то пошло не так. Попробуйте ещё раз.",
      tooLong: "Сообщение слишком длинное.",
      askProfile: "Оставьте email, чтобы мы могли ответить, даже если вы уйдёте со страницы.",
      save: "Сохранить", noThanks: "Нет, спасибо",
      thanks: "Спасибо! Мы ответим здесь или по email.",
      name: "Имя", email: "Email", phone: "Телефон",
      required: "Заполните это поле.",
      badEmail: "Введите корректный email.",
      badPhone: "Введите номер с кодом страны, например +7 912 345-67-89.",
      preChatIntro: "Представьтесь, пожалуйста, прежде чем начать.",
      start: "Начать чат",
      offlineIntro: "Сейчас нас нет в сети. Оставьте сообщение — мы свяжемся с вами.",
      offlineSend: "Отправить сообщение",
      offlineDone: "Спасибо! Мы ответим по email или телефону в течение рабочего дня.",
      contactNeeded: "Укажите email или телефон, чтобы мы могли ответить.",
      fileTooLarge: "Файл больше {mb} МБ.",
      fileType: "Файлы такого типа нельзя отправить. Принимаются изображения, PDF, офисные документы и текстовые файлы.",
      file: "Файл", download: "Скачать", yourMessage: "Ваше сообщение",
      rate: "Оценка {n} из 5", rated: "Спасибо! Ваша оценка: {n} из 5."
    }
  };

  // ---- state kept across page loads (localStorage; memory when the browser refuses) ----
  var memory = {};
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return memory; }
  }
  var state = load();
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { memory = state; }
  }
  if ((state.ident || "") !== ident) { state = { visitorId: ident ? null : state.visitorId }; save(); }

  // The page's data-language, else the channel's `language`, else (auto) the browser's; a language without texts is English.
  function lang() {
    var c = state.cfg || {}, want = script.getAttribute("data-language") || c.language || "auto";
    if (want === "auto") want = ((navigator.languages && navigator.languages[0]) || navigator.language || "en");
    want = String(want).toLowerCase().split("-")[0];
    return TEXTS[want] || (c.strings && c.strings[want]) ? want : "en";
  }
  function t(name, vars) {
    var c = state.cfg || {}, l = lang(), own = (c.strings && c.strings[l]) || {};
    var text = own[name] != null ? own[name] : (name === "title" && c.title) ? c.title : (TEXTS[l] || TEXTS.en)[name] != null ? (TEXTS[l] || TEXTS.en)[name] : TEXTS.en[name];
    return String(text == null ? "" : text).replace(/\{(\w+)\}/g, function (_, k) { return vars && vars[k] != null ? vars[k] : ""; });
  }

  // ---- DOM ----
  var host = document.createElement("cc-chat-widget");
  var root = host.attachShadow({ mode: "closed" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.4}" +
    ".l{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--a);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483647;display:flex;align-items:center;justify-content:center}" +
    ".l svg{width:28px;height:28px;fill:currentColor}.d{position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#e5484d;border:2px solid #fff;display:none}.d.on{display:block}" +
    ".p{position:fixed;right:20px;bottom:88px;width:370px;max-width:calc(100vw - 40px);height:min(560px,calc(100vh - 110px));background:#fff;color:#1c2024;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483647}" +
    ".p.on{display:flex}.h{background:var(--a);color:#fff;padding:14px 16px;display:flex;align-items:center;justify-content:space-between;font-weight:600}" +
    ".h button{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}" +
    ".m{flex:1;overflow-y:auto;overflow-x:hidden;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f7f8fa}" +
    ".b{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}" +
    ".in{align-self:flex-end;background:var(--a);color:#fff;border-bottom-right-radius:4px}.out,.g{align-self:flex-start;background:#fff;border:1px solid #e3e5e8;border-bottom-left-radius:4px}" +
    ".b small{display:block;font-size:11px;opacity:.7;margin-top:2px}.pending{opacity:.6}.failed{background:#fde8e8;color:#a4161a;cursor:pointer}" +
    ".b img{display:block;max-width:100%;max-height:200px;border-radius:8px;margin-top:4px}.b a{color:inherit;text-decoration:underline;display:block;margin-top:4px;cursor:pointer}" +
    ".n{font-size:12px;color:#60646c;text-align:center;padding:4px}.t{font-size:12px;color:#60646c;padding:0 14px;height:18px;background:#f7f8fa}" +
    ".f{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}.f.off{display:none}" +
    ".f textarea{flex:1;min-width:0;resize:none;border:1px solid #d0d3d8;border-radius:8px;padding:8px;height:40px;max-height:120px;color:#1c2024;background:#fff}" +
    ".f button,.e button,.fm button{background:var(--a);color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer;font-weight:600}" +
    ".f .at{background:#eef0f3;color:#1c2024;padding:0 8px;display:flex;align-items:center}.f .at svg{width:22px;height:22px;fill:currentColor}.f input[type=file]{display:none}" +
    ".e{display:flex;flex-wrap:wrap;gap:6px;padding:8px;background:#fff;border:1px solid #e3e5e8;border-radius:10px}.e p{margin:0;width:100%;font-size:12px;color:#60646c}" +
    ".e input{flex:1;min-width:0;border:1px solid #d0d3d8;border-radius:6px;padding:6px;color:#1c2024;background:#fff}.e button{padding:6px 10px}" +
    ".fm{display:flex;flex-direction:column;gap:6px;padding:12px;background:#fff;border:1px solid #e3e5e8;border-radius:10px}.fm p{margin:0;color:#1c2024}" +
    ".fm label{display:flex;flex-direction:column;gap:2px;font-size:12px;color:#60646c}" +
    ".fm input,.fm textarea{width:100%;min-width:0;border:1px solid #d0d3d8;border-radius:6px;padding:8px;color:#1c2024;background:#fff}.fm textarea{height:80px;resize:vertical}" +
    ".fm .er{color:#a4161a;font-size:12px}.fm button{padding:10px 14px}" +
    ".cs{display:flex;gap:4px;margin-top:6px;flex-wrap:wrap}.cs button{min-width:36px;min-height:36px;border:1px solid #d0d3d8;border-radius:8px;background:#fff;color:#1c2024;cursor:pointer;font-weight:600}" +
    ".cs button:hover{background:var(--a);color:#fff}.cs span{font-size:12px}" +
    ".more{align-self:center;background:none;border:0;color:var(--a);cursor:pointer;font-size:12px}" +
    "@media (max-width:480px){.p{right:0;bottom:0;width:100%;max-width:100%;height:100%;border-radius:0}.p.on~.l{display:none}}" +
    "</style>" +
    "<div class='p' role='dialog'><div class='h'><span class='ti'></span><button class='x'>\u00d7</button></div>" +
    "<div class='m' role='log' aria-live='polite'></div><div class='t'></div>" +
    "<form class='f'><button type='button' class='at'><svg viewBox='0 0 24 24'><path d='M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z'/></svg></button><input type='file'><textarea maxlength='5000'></textarea><button type='submit' class='sd'></button></form></div>" +
    "<button class='l'><svg viewBox='0 0 24 24'><path d='M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z'/></svg><span class='d'></span></button>";
  function $(s) { return root.querySelector(s); }
  var panel = $(".p"), list = $(".m"), typingLine = $(".t"), dot = $(".d"), input = $("textarea"), title = $(".ti"), composer = $(".f");
  var picker = $("input[type=file]"), attachBtn = $(".at"), launcher = $(".l");
  host.style.setProperty("--a", "#1f6feb");
  (document.body || document.documentElement).appendChild(host);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text; // always text, never HTML
    return e;
  }
  function applyConfig() {
    var c = state.cfg || {};
    title.textContent = t("title");
    panel.setAttribute("aria-label", title.textContent);
    $(".x").setAttribute("aria-label", t("close"));
    launcher.setAttribute("aria-label", isOpen() ? t("close") : t("open"));
    input.placeholder = t("placeholder");
    input.setAttribute("aria-label", t("message"));
    $(".sd").textContent = t("send");
    attachBtn.setAttribute("aria-label", t("attach"));
    attachBtn.title = t("attach");
    if (c.color) host.style.setProperty("--a", c.color);
  }

  // ---- HTTP ----
  var sessionPromise = null;
  function request(method, path, body, auth, raw) {
    var headers = {};
    if (!raw) headers["Content-Type"] = "application/json";
    if (auth) headers.Authorization = "Bearer " + state.token;
    return fetch(base + path, { method: method, headers: headers, body: raw || (body ? JSON.stringify(body) : undefined), credentials: "omit" });
  }
  function api(method, path, body, auth, raw) {
    return request(method, path, body, auth, raw).then(function (r) {
      return (r.status === 204 ? Promise.resolve(null) : r.json().catch(function () { return null; })).then(function (data) {
        if (r.ok) return data;
        var err = new Error((data && data.detail) || "Request failed (" + r.status + ")");
        err.status = r.status;
        err.errors = (data && data.errors) || {};
        err.retryAfter = +r.headers.get("Retry-After") || 0;
        throw err;
      });
    });
  }
  // What the visitor reads about a failed call: our own words in their language, not the server's English detail.
  function problem(e) {
    if (!e || !e.status) return t("failed");
    if (e.status === 429) return t("tooFast", { s: e.retryAfter || 30 });
    if (e.status === 413) return t("fileTooLarge", { mb: mb() });
    if (e.status === 415) return t("fileType");
    if (e.status === 403) return /allowedOrigins|may not use/.test(e.message) ? t("notAllowed") : t("unavailable");
    if (e.status === 404) return t("unavailable");
    if (e.status === 400 && e.errors) {
      if (e.errors.text) return t("tooLong");
      if (e.errors.email) return t("badEmail");
      if (e.errors.phone) return t("badPhone");
    }
    return t("failed");
  }
  function mb() { return Math.round(((state.cfg && state.cfg.maxUploadBytes) || 10485760) / 104857.6) / 10; }
  function session(force) {
    if (!force && state.token && state.exp > Date.now() + 60000 && state.cfg) return Promise.resolve();
    if (sessionPromise) return sessionPromise;
    var body = { visitorId: state.visitorId || null };
    if (ident) { body.identifier = ident; body.identifierHash = identHash; }
    if (script.getAttribute("data-name")) body.name = script.getAttribute("data-name");
    if (script.getAttribute("data-email")) body.email = script.getAttribute("data-email");
    sessionPromise = api("POST", "/api/widget/" + encodeURIComponent(key) + "/session", body).then(function (s) {
      state.token = s.visitorToken;
      state.exp = Date.parse(s.expiresAt);
      state.visitorId = s.visitorId;
      state.ident = ident;
      state.conv = s.conversationId || state.conv || null;
      state.cfg = { greeting: s.greeting, title: s.title, color: s.color, language: s.language, strings: s.strings,
        preChat: s.preChat, offlineMessage: s.offlineMessage, maxUploadBytes: s.maxUploadBytes };
      save();
      applyConfig();
    }).finally(function () { sessionPromise = null; });
    return sessionPromise;
  }
  // A call with the visitor token; an expired token is renewed once.
  function authed(method, path, body, raw) {
    return session().then(function () {
      return api(method, path, body, true, raw).catch(function (e) {
        if (e.status !== 401) throw e;
        return session(true).then(function () { return api(method, path, body, true, raw); });
      });
    });
  }
  // Files need the visitor token, which an <img src> or a link cannot send: fetched, then shown from a blob URL.
  function fileBlob(a) {
    return session().then(function () { return request("GET", a.url, null, true); }).then(function (r) {
      if (!r.ok) throw new Error("file " + r.status);
      return r.blob();
    });
  }

  // ---- messages ----
  var shown = {}, pendingEls = {}, maxId = 0, nextCursor, historyLoaded = false, greeted = false, readUpTo = 0;
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
    if (!m || shown[m.id]) return;
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

  function send(text, cid, pendingEl) {
    cid = cid || newId();
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
      if (e.status === 400 && e.errors && e.errors.preChat) { p.remove(); delete pendingEls[cid]; state.preChatDone = false; save(); input.value = text; showForms(); return; }
      if (e.status === 400 || e.status === 403) { p.remove(); delete pendingEls[cid]; notice(problem(e)); return; }
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
    }).then(function () { markRead(); connect(); return showForms(); }, function (e) { notice(problem(e)); });
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
})();
