/* ContactCenter chat widget. Embed: <script src="https://YOUR-HOST/widget.js" data-widget-key="KEY" async></script>
   Optional: data-identifier + data-identifier-hash (hex HMAC-SHA256 of the identifier with the channel secret),
   data-name, data-email. No framework; a closed shadow root keeps the page's CSS and scripts out.
   Live replies over /hubs/widget with a minimal SignalR JSON-protocol client on a WebSocket. */
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

  // ---- DOM ----
  var host = document.createElement("cc-chat-widget");
  var root = host.attachShadow({ mode: "closed" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.4}" +
    ".l{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--a);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483647;display:flex;align-items:center;justify-content:center}" +
    ".l svg{width:28px;height:28px;fill:currentColor}.d{position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#e5484d;border:2px solid #fff;display:none}.d.on{display:block}" +
    ".p{position:fixed;right:20px;bottom:88px;width:370px;height:min(560px,calc(100vh - 110px));background:#fff;color:#1c2024;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483647}" +
    ".p.on{display:flex}.h{background:var(--a);color:#fff;padding:14px 16px;display:flex;align-items:center;justify-content:space-between;font-weight:600}" +
    ".h button{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}" +
    ".m{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f7f8fa}" +
    ".b{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}" +
    ".in{align-self:flex-end;background:var(--a);color:#fff;border-bottom-right-radius:4px}.out,.g{align-self:flex-start;background:#fff;border:1px solid #e3e5e8;border-bottom-left-radius:4px}" +
    ".b small{display:block;font-size:11px;opacity:.7;margin-top:2px}.pending{opacity:.6}.failed{background:#fde8e8;color:#a4161a;cursor:pointer}" +
    ".n{font-size:12px;color:#60646c;text-align:center;padding:4px}.t{font-size:12px;color:#60646c;padding:0 14px;height:18px;background:#f7f8fa}" +
    ".f{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}" +
    ".f textarea{flex:1;resize:none;border:1px solid #d0d3d8;border-radius:8px;padding:8px;height:40px;max-height:120px;color:#1c2024;background:#fff}" +
    ".f button,.e button{background:var(--a);color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer;font-weight:600}" +
    ".e{display:flex;flex-wrap:wrap;gap:6px;padding:8px;background:#fff;border:1px solid #e3e5e8;border-radius:10px}.e p{margin:0;width:100%;font-size:12px;color:#60646c}" +
    ".e input{flex:1;min-width:0;border:1px solid #d0d3d8;border-radius:6px;padding:6px;color:#1c2024;background:#fff}.e button{padding:6px 10px}" +
    ".more{align-self:center;background:none;border:0;color:var(--a);cursor:pointer;font-size:12px}" +
    "@media (max-width:480px){.p{right:0;bottom:0;width:100%;height:100%;border-radius:0}.p.on~.l{display:none}}" +
    "</style>" +
    "<div class='p' role='dialog'><div class='h'><span class='ti'></span><button class='x' aria-label='Close chat'>\u00d7</button></div>" +
    "<div class='m' role='log' aria-live='polite'></div><div class='t'></div>" +
    "<form class='f'><textarea placeholder='Write a message\u2026' aria-label='Message' maxlength='5000'></textarea><button type='submit'>Send</button></form></div>" +
    "<button class='l' aria-label='Open chat'><svg viewBox='0 0 24 24'><path d='M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z'/></svg><span class='d'></span></button>";
  function $(s) { return root.querySelector(s); }
  var panel = $(".p"), list = $(".m"), typingLine = $(".t"), dot = $(".d"), input = $("textarea"), title = $(".ti");
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
    title.textContent = c.title || "Chat with us";
    panel.setAttribute("aria-label", title.textContent);
    if (c.color) host.style.setProperty("--a", c.color);
  }
  applyConfig();

  // ---- HTTP ----
  var sessionPromise = null;
  function api(method, path, body, auth) {
    var headers = { "Content-Type": "application/json" };
    if (auth) headers.Authorization = "Bearer " + state.token;
    return fetch(base + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (r) {
        return (r.status === 204 ? Promise.resolve(null) : r.json().catch(function () { return null; })).then(function (data) {
          if (r.ok) return data;
          var err = new Error((data && data.detail) || "Request failed (" + r.status + ")");
          err.status = r.status;
          err.retryAfter = +r.headers.get("Retry-After") || 0;
          throw err;
        });
      });
  }
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
      state.cfg = { greeting: s.greeting, title: s.title, color: s.color };
      save();
      applyConfig();
    }).finally(function () { sessionPromise = null; });
    return sessionPromise;
  }
  // A call with the visitor token; an expired token is renewed once.
  function authed(method, path, body) {
    return session().then(function () {
      return api(method, path, body, true).catch(function (e) {
        if (e.status !== 401) throw e;
        return session(true).then(function () { return api(method, path, body, true); });
      });
    });
  }

  // ---- messages ----
  var shown = {}, pendingEls = {}, maxId = 0, nextCursor, historyLoaded = false, greeted = false;
  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function bubble(m) {
    var b = el("div", "b " + (m.direction === "inbound" ? "in" : "out"), m.text);
    var meta = (m.direction === "outbound" && m.sender && m.sender.name ? m.sender.name + " \u00b7 " : "") + time(m.createdAt);
    b.appendChild(el("small", "", meta));
    b.setAttribute("data-id", m.id);
    return b;
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
    if (!after) list.scrollTop = list.scrollHeight;
  }
  function pendingFirst() {
    return list.querySelector(".pending,.failed,.e");
  }
  function markRead() {
    if (maxId > (state.read || 0)) { state.read = maxId; save(); }
    dot.className = "d";
  }
  function page(cursor) {
    return authed("GET", "/api/widget/messages?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")).then(function (p) {
      p.items.forEach(add);
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
    moreBtn = el("button", "more", "Earlier messages");
    moreBtn.onclick = function () { page(nextCursor).then(function (p) { setMore(p.nextCursor); }); };
    list.insertBefore(moreBtn, list.firstChild);
  }
  function notice(text) {
    var n = el("div", "n", text);
    list.appendChild(n);
    list.scrollTop = list.scrollHeight;
    setTimeout(function () { n.remove(); }, 8000);
  }

  function send(text, cid, pendingEl) {
    cid = cid || (Date.now().toString(36) + Math.random().toString(36).slice(2));
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
      if (first && !state.profiled) askProfile();
    }, function (e) {
      if (e.status === 400 || e.status === 403) { p.remove(); delete pendingEls[cid]; notice(e.message); return; }
      p.className = "b in failed";
      p.title = e.status === 429 ? "Too many messages, wait a moment. Tap to retry." : "Not sent. Tap to retry.";
      if (e.status === 429) notice("You are sending messages too fast; wait " + (e.retryAfter || 30) + " s.");
      p.onclick = function () { send(text, cid, p); };
    });
  }
  function askProfile() {
    var f = el("form", "e");
    f.appendChild(el("p", "", "Leave your email so we can answer even if you leave the page."));
    var n = el("input"); n.placeholder = "Name"; n.maxLength = 200; n.autocomplete = "name";
    var m = el("input"); m.type = "email"; m.placeholder = "Email"; m.maxLength = 320; m.autocomplete = "email";
    var ok = el("button", "", "Save"); ok.type = "submit";
    var no = el("button", "", "\u00d7"); no.type = "button"; no.setAttribute("aria-label", "No thanks");
    f.appendChild(n); f.appendChild(m); f.appendChild(ok); f.appendChild(no);
    function done() { state.profiled = true; save(); f.remove(); }
    no.onclick = done;
    f.onsubmit = function (ev) {
      ev.preventDefault();
      if (!n.value.trim() && !m.value.trim()) return;
      authed("POST", "/api/widget/profile", { name: n.value.trim() || null, email: m.value.trim() || null })
        .then(function () { done(); notice("Thanks! We will reply here or by email."); }, function (e) { f.querySelector("p").textContent = e.message; });
    };
    list.appendChild(f);
    list.scrollTop = list.scrollHeight;
  }

  // ---- live: SignalR JSON protocol over a WebSocket (negotiation skipped) ----
  var ws = null, attempt = 0, timer = null, pinger = null, lastSeen = 0, typingTimer = null, stopped = false;
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
            pinger = setInterval(function () {
              if (Date.now() - lastSeen > 35000) return s.close(); // the server pings every 15 s: this one is dead
              s.send(JSON.stringify({ type: 6 }) + RS);
            }, 15000);
            catchUp();
            return;
          }
          if (msg.type === 1 && msg.target === "messageCreated") add(msg.arguments[0]);
          else if (msg.type === 1 && msg.target === "typing") showTyping(msg.arguments[0]);
          else if (msg.type === 7) { if (msg.error) state.exp = 0; s.close(); } // refused: renew the token on the next try
        });
      };
      s.onclose = function () {
        clearInterval(pinger);
        if (ws === s) ws = null;
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
  function showTyping(t) {
    typingLine.textContent = ((t && t.name) || "Someone") + " is typing\u2026";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) reconnectNow(); });
  window.addEventListener("online", reconnectNow);

  // ---- open / close ----
  function isOpen() { return panel.className === "p on"; }
  function open() {
    panel.className = "p on";
    $(".l").setAttribute("aria-label", "Close chat");
    session().then(function () {
      applyConfig();
      if (!greeted && state.cfg && state.cfg.greeting) { greeted = true; list.insertBefore(el("div", "b g", state.cfg.greeting), list.firstChild); }
      return loadHistory();
    }).then(function () { markRead(); connect(); }, function (e) { notice(e.message || "The chat is not available right now."); });
    setTimeout(function () { input.focus(); }, 0);
  }
  function close() {
    panel.className = "p";
    $(".l").setAttribute("aria-label", "Open chat");
  }
  $(".l").onclick = function () { isOpen() ? close() : open(); };
  $(".x").onclick = close;
  $(".f").onsubmit = function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  };
  input.onkeydown = function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $(".f").requestSubmit ? $(".f").requestSubmit() : $(".f").onsubmit(ev); }
  };
  window.ContactCenterChat = { open: open, close: close };

  // A returning visitor with a conversation hears replies (and sees the unread dot) without opening the panel.
  if (state.conv) connect();
})();
