/* ContactCenter chat widget. Embed: <script src="https://YOUR-HOST/widget.js" data-widget-key="KEY" async></script>
   Optional: data-identifier + data-identifier-hash (hex HMAC-SHA256 of the identifier with the channel secret),
   data-name, data-email, data-language (en, ru: wins over the channel's setting). No framework; a closed shadow
   root keeps the page's CSS and scripts out. Live replies over /hubs/widget with a minimal SignalR JSON-protocol
   client on a WebSocket. Every visitor-facing text comes from the string table below (English, Russian), overridden
   per channel (`strings`), never from the server's English error details.
   Served as one script: the files of Widget/Script concatenated in name order (WidgetScript): this one (set-up, texts,
   state, DOM, HTTP), 2-messages.js (the thread, sending, uploads), 3-forms-live.js (forms, the live connection, open/close). */
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
  // Another tab of the site may have started the session or the conversation since this page loaded: this one continues
  // as that visitor (a session of its own made a second visitor, whose conversation the next reload showed alone).
  function adopt() {
    var s = load();
    if (s === state || (s.ident || "") !== ident || !s.visitorId) return;
    var same = s.visitorId === state.visitorId;
    if (!same || (s.exp || 0) > (state.exp || 0)) { state.token = s.token; state.exp = s.exp; }
    state.visitorId = s.visitorId;
    state.ident = s.ident;
    state.conv = s.conv || (same ? state.conv : null);
    state.cfg = state.cfg || s.cfg;
    state.preChatDone = s.preChatDone || (same && state.preChatDone);
    state.profiled = s.profiled || (same && state.profiled);
    state.read = Math.max(s.read || 0, (same && state.read) || 0);
  }

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
    adopt();
    if (!force && state.token && state.exp > Date.now() + 60000 && state.cfg) return Promise.resolve();
    if (sessionPromise) return sessionPromise;
    var body = { visitorId: state.visitorId || null };
    if (ident) { body.identifier = ident; body.identifierHash = identHash; }
    if (script.getAttribute("data-name")) body.name = script.getAttribute("data-name");
    if (script.getAttribute("data-email")) body.email = script.getAttribute("data-email");
    var path = "/api/widget/" + encodeURIComponent(key) + "/session";
    sessionPromise = api("POST", path, body).catch(function (e) {
      // The page's data-name/data-email are hints: one the service refuses (not an email) must not keep the visitor out.
      if (e.status !== 400 || !(body.name || body.email)) throw e;
      delete body.name;
      delete body.email;
      return api("POST", path, body);
    }).then(function (s) {
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

