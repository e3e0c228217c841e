// Chibo sandbox page: pick a person, chat with the real bot as them, move the sandbox clock.
"use strict";

const $ = (id) => document.getElementById(id);
let current = null;      // {user_id, name, roles}
let people = [];         // flat list
let lastChat = "";
let pollTimer = null;

const LABELS = {
  noMeeting: "Chưa có buổi sinh hoạt nào sắp tới.",
  failed: "Không thực hiện được, vui lòng thử lại.",
  moved: "Đã chỉnh đồng hồ: ",
  sentFile: "Đã gửi tệp ",
  pickFirst: "Hãy chọn một người trước.",
  empty: "Chưa có tin nhắn. Gõ /huongdan hoặc bấm ☰ để xem các lệnh.",
  resetAsk: "Xóa mọi tin nhắn và dữ liệu thử nghiệm, tạo lại tổ chức mẫu và tập lại từ đầu?",
};

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 3500);
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST",
    headers: body instanceof FormData ? {} : {"Content-Type": "application/json"},
    body: body instanceof FormData ? body : JSON.stringify(body),
  };
  const resp = await fetch(path, opts);
  const data = await resp.json().catch(() => ({ok: false}));
  if (!resp.ok || !data.ok) { const e = new Error(data.error || resp.status); e.data = data; throw e; }
  return data;
}

// -- clock ---------------------------------------------------------------------------------------

function showState(state) {
  $("clock-now").textContent = state.now_text;
  $("to-meeting").hidden = !state.meetings;
  $("demo-pdf").hidden = !state.demo_bulletin;
}

async function moveClock(step, button) {
  button.disabled = true;
  try {
    const state = await api("/api/clock", {action: step});
    showState(state);
    toast(LABELS.moved + state.now_text);
    await refreshChat();
  } catch (e) {
    toast(e.message === "no meeting ahead" ? LABELS.noMeeting : LABELS.failed);
  } finally {
    button.disabled = false;
  }
}

async function resetAll(button) {
  if (!window.confirm(LABELS.resetAsk)) return;
  button.disabled = true;
  try {
    await api("/api/reset", {});
    // A fresh organisation: the page starts over too (who is chosen, chats, menu).
    window.location.reload();
  } catch (e) {
    toast(LABELS.failed);
    button.disabled = false;
  }
}

// -- people --------------------------------------------------------------------------------------

function renderPeople(groups) {
  const box = $("people");
  box.textContent = "";
  people = [];
  const filter = fold($("people-filter").value.trim());
  for (const group of groups) {
    const shown = group.people.filter((p) => !filter || fold(p.name).includes(filter));
    if (!shown.length) continue;
    const section = document.createElement("div");
    section.className = "group";
    const h = document.createElement("h3");
    h.textContent = group.name;
    section.append(h);
    for (const p of shown) {
      people.push(p);
      const b = document.createElement("button");
      b.type = "button";
      b.className = "person" + (current && current.user_id === p.user_id ? " active" : "");
      b.dataset.userId = p.user_id;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = p.name;
      b.append(name);
      if (p.roles.length) {
        const roles = document.createElement("span");
        roles.className = "roles";
        roles.textContent = p.roles.join(", ");
        b.append(roles);
      }
      b.addEventListener("click", () => choose(p));
      section.append(b);
    }
    box.append(section);
  }
}

let groupsCache = [];
async function loadPeople() {
  groupsCache = (await api("/api/people")).groups;
  renderPeople(groupsCache);
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get("u"));
  const found = people.find((p) => p.user_id === wanted);
  if (found) choose(found);
}

function choose(person) {
  current = person;
  history.replaceState(null, "", "#u=" + person.user_id);
  $("who").textContent = person.name;
  $("who-roles").textContent = person.roles.join(", ");
  $("text").disabled = false;
  $("send").disabled = false;
  $("menu").hidden = true;
  $("layout").classList.add("chatting");
  lastChat = "";
  renderPeople(groupsCache);
  refreshChat();
  $("text").focus();
}

// -- messages ------------------------------------------------------------------------------------

const TAGS = {bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code",
  pre: "pre", spoiler: "span", blockquote: "blockquote", expandable_blockquote: "blockquote"};

// Telegram entity offsets count UTF-16 code units, which is what JavaScript strings index.
function renderText(text, entities) {
  const frag = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(a, b));
    for (const e of entities) {
      if (e.offset <= a && e.offset + e.length >= b) {
        let wrap;
        if (e.type === "text_link" || e.type === "url") {
          wrap = document.createElement("a");
          wrap.href = e.url || text.slice(e.offset, e.offset + e.length);
          wrap.target = "_blank";
          wrap.rel = "noopener";
        } else if (TAGS[e.type]) {
          wrap = document.createElement(TAGS[e.type]);
        } else continue;
        wrap.append(node);
        node = wrap;
      }
    }
    frag.append(node);
  }
  return frag;
}

function sizeText(bytes) {
  return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
}

function renderMessage(m) {
  const div = document.createElement("div");
  div.className = "msg " + m.from;
  div.dataset.messageId = m.id;
  if (m.document) {
    const a = document.createElement("a");
    a.className = "doc";
    a.href = "/api/file/" + encodeURIComponent(m.document.file_id);
    a.download = m.document.name;
    a.innerHTML = '<span class="icon">📄</span><span><span class="fname"></span><span class="size"></span></span>';
    a.querySelector(".fname").textContent = m.document.name;
    a.querySelector(".size").textContent = sizeText(m.document.size);
    div.append(a);
  }
  if (m.photo) {
    const img = document.createElement("img");
    img.src = "/api/file/" + encodeURIComponent(m.photo.file_id);
    img.style.maxWidth = "100%";
    div.append(img);
  }
  if (m.text) div.append(renderText(m.text, m.entities));
  if (m.buttons) {
    const box = document.createElement("div");
    box.className = "buttons";
    for (const row of m.buttons) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) {
        let el;
        if (b.url) {
          el = document.createElement("a");
          el.href = b.url; el.target = "_blank"; el.rel = "noopener";
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.addEventListener("click", () => press(m.id, b.data, el));
        }
        el.textContent = b.text;
        r.append(el);
      }
      box.append(r);
    }
    div.append(box);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = m.time + (m.edited ? " · đã sửa" : "");
  div.append(meta);
  return div;
}

function renderMenu(menu) {
  const box = $("menu");
  box.textContent = "";
  for (const c of menu) {
    const b = document.createElement("button");
    b.type = "button";
    b.innerHTML = '<span class="cmd"></span><span class="desc"></span>';
    b.querySelector(".cmd").textContent = "/" + c.command;
    b.querySelector(".desc").textContent = c.description;
    b.addEventListener("click", () => { box.hidden = true; sendText("/" + c.command); });
    box.append(b);
  }
}

async function refreshChat() {
  if (!current) return;
  const who = current.user_id;
  let data;
  try { data = await api("/api/chat/" + who); } catch (e) { return; }
  if (!current || current.user_id !== who) return;
  const key = JSON.stringify(data);
  if (key === lastChat) return;
  lastChat = key;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.textContent = "";
  if (!data.messages.length) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = LABELS.empty;
    box.append(p);
  }
  for (const m of data.messages) box.append(renderMessage(m));
  renderMenu(data.menu);
  if (atBottom || box.dataset.for !== String(who)) box.scrollTop = box.scrollHeight;
  box.dataset.for = String(who);
}

async function sendText(text) {
  if (!current) { toast(LABELS.pickFirst); return; }
  try {
    await api("/api/send", {user_id: current.user_id, text});
  } catch (e) { toast(LABELS.failed); }
  await refreshChat();
}

async function press(messageId, data, el) {
  el.disabled = true;
  try {
    await api("/api/press", {user_id: current.user_id, message_id: messageId, data});
  } catch (e) { toast(LABELS.failed); el.disabled = false; }
  setTimeout(refreshChat, 300);
}

async function upload(file) {
  if (!current) { toast(LABELS.pickFirst); return; }
  const form = new FormData();
  form.append("user_id", current.user_id);
  form.append("file", file, file.name);
  try {
    await api("/api/upload", form);
    toast(LABELS.sentFile + file.name);
  } catch (e) { toast(LABELS.failed); }
  await refreshChat();
}

// -- wiring --------------------------------------------------------------------------------------

function init() {
  $("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    sendText(text);
  });
  $("menu-button").addEventListener("click", () => { if (current) $("menu").hidden = !$("menu").hidden; });
  $("file").addEventListener("change", (ev) => {
    const f = ev.target.files[0];
    ev.target.value = "";
    if (f) upload(f);
  });
  $("back").addEventListener("click", () => $("layout").classList.remove("chatting"));
  $("people-filter").addEventListener("input", () => renderPeople(groupsCache));
  $("reset").addEventListener("click", () => resetAll($("reset")));
  for (const b of document.querySelectorAll(".clock button[data-step]")) {
    b.addEventListener("click", () => moveClock(b.dataset.step, b));
  }
  api("/api/state").then(showState).catch(() => {});
  loadPeople().catch(() => toast(LABELS.failed));
  pollTimer = setInterval(() => {
    refreshChat();
    api("/api/state").then(showState).catch(() => {});
  }, 1000);
}

init();
