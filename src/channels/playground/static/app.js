// The playground page: a Lark-like group chat. Plain DOM, no framework. Every
// piece of text from users or the bot goes in as a text node (never innerHTML),
// so nothing typed can become markup. Cards are drawn from the Lark card JSON the
// bot really sends (schema 2.0), the same JSON Lark would draw.
'use strict';

const $ = (sel) => document.querySelector(sel);
const state = { people: [], chats: [], now: 0, bot: '机器人', me: null, chatId: null, messages: [], unread: {} };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `出错了（${res.status}）`);
  return data;
}

let toastTimer;
function toast(text, kind) {
  const t = $('#toast');
  t.textContent = text;
  t.className = kind || 'info';
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 3500);
}

const beijing = (ms) => {
  const d = new Date(ms + 8 * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
};
const person = (id) => state.people.find((p) => p.userId === id);
const currentChat = () => state.chats.find((c) => c.chatId === state.chatId);

// ---- Lark markdown (the subset the bot writes): **bold**, <font color>, <at>, line breaks, &lt; &gt; &amp;
const ENTITY = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };
const decode = (s) => s.replace(/&(lt|gt|amp|quot|#39);/g, (m) => ENTITY[m]);
const FONT_COLORS = { red: '#f54a45', green: '#34c724', orange: '#ff8800', grey: '#8f959e', blue: '#3370ff' };

function larkMarkdown(source) {
  const root = el('div', { class: 'md' });
  const stack = [root];
  const top = () => stack[stack.length - 1];
  const tokens = source.split(/(<font color=['"]?[a-z-]+['"]?>|<\/font>|<at (?:user_)?id=['"]?[^'">]*['"]?>[^<]*<\/at>|\*\*)/);
  for (const tok of tokens) {
    if (!tok) continue;
    const font = /^<font color=['"]?([a-z-]+)['"]?>$/.exec(tok);
    const at = /^<at (?:user_)?id=['"]?([^'">]*)['"]?>([^<]*)<\/at>$/.exec(tok);
    if (font) {
      const span = el('span');
      span.style.color = FONT_COLORS[font[1]] || '';
      top().append(span);
      stack.push(span);
    } else if (tok === '</font>') {
      if (stack.length > 1 && top().tagName === 'SPAN') stack.pop();
    } else if (tok === '**') {
      if (top().tagName === 'B') stack.pop();
      else {
        const b = el('b');
        top().append(b);
        stack.push(b);
      }
    } else if (at) top().append(mention(at[1], decode(at[2])));
    else top().append(document.createTextNode(decode(tok)));
  }
  return root;
}

function mention(userId, name) {
  return el('span', { class: userId === state.me || userId === 'all' ? 'at me' : 'at', 'data-user': userId }, `@${name}`);
}

// ---- cards
function drawCard(entry) {
  let card;
  try {
    card = JSON.parse(entry.content);
  } catch {
    return el('div', { class: 'card' }, el('div', { class: 'body' }, '（卡片无法显示）'));
  }
  const header = card.header || {};
  const body = el('div', { class: 'body' });
  let buttons = null;
  for (const element of (card.body && card.body.elements) || []) {
    if (element.tag === 'button') {
      if (!buttons) body.append((buttons = el('div', { class: 'buttons' })));
      buttons.append(cardButton(entry, element));
      continue;
    }
    buttons = null;
    body.append(cardElement(entry, element));
  }
  if (entry.updated) body.append(el('div', { class: 'updated' }, '（卡片已更新）'));
  return el('div', { class: 'card', 'data-card': entry.messageId }, el('div', { class: `head ${header.template || 'blue'}` }, (header.title && header.title.content) || ''), body);
}

function cardElement(entry, element) {
  switch (element.tag) {
    case 'markdown':
      return larkMarkdown(element.content || '');
    case 'hr':
      return el('hr');
    case 'table': {
      const cols = element.columns || [];
      return el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, cols.map((c) => el('th', {}, c.display_name || '')))),
          el('tbody', {}, (element.rows || []).map((r) => el('tr', {}, cols.map((c) => el('td', {}, r[c.name] == null ? '' : String(r[c.name])))))),
        ),
      );
    }
    case 'form':
      return cardForm(entry, element);
    case 'chart': {
      const holder = el('div', { class: 'chart', 'data-chart': element.element_id || '' });
      fetch('/api/chart.svg', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(element.chart_spec || {}) })
        .then((res) => res.text())
        .then((svg) => {
          holder.innerHTML = svg;
        })
        .catch(() => holder.append('（图表无法显示）'));
      return holder;
    }
    default:
      return el('div', { class: 'md' }, `（不支持的卡片元素 ${element.tag}）`);
  }
}

function cardButton(entry, element, formName) {
  const cls = element.type === 'primary' || element.type === 'primary_filled' ? 'primary' : element.type === 'danger' ? 'danger' : '';
  const label = (element.text && element.text.content) || '';
  if (element.form_action_type === 'submit') return el('button', { type: 'submit', class: cls, name: element.name }, label);
  return el('button', { type: 'button', class: cls, 'data-button': element.name, onclick: (ev) => press(entry, { button: element.name }, ev.currentTarget) }, label);
}

function cardForm(entry, form) {
  const node = el('form', { 'data-form': form.name, novalidate: true });
  let submitName = null;
  for (const e of form.elements || []) {
    if (e.tag === 'markdown') node.append(larkMarkdown(e.content || ''));
    else if (e.tag === 'input') {
      const placeholder = e.placeholder && e.placeholder.content;
      const field =
        e.input_type === 'multiline_text'
          ? el('textarea', { name: e.name, rows: e.rows || 3, placeholder, 'data-required': e.required })
          : el('input', { type: 'text', name: e.name, placeholder, 'data-required': e.required });
      field.value = e.default_value || '';
      node.append(field);
    } else if (e.tag === 'select_static') {
      const select = el('select', { name: e.name, 'data-required': e.required }, el('option', { value: '' }, (e.placeholder && e.placeholder.content) || '请选择'));
      for (const o of e.options || []) select.append(el('option', { value: o.value }, (o.text && o.text.content) || o.value));
      select.value = e.initial_option || '';
      node.append(select);
    } else if (e.tag === 'date_picker') {
      const input = el('input', { type: 'date', name: e.name, 'data-required': e.required, 'data-date': true });
      input.value = e.initial_date || '';
      node.append(input);
    } else if (e.tag === 'button') {
      node.append(cardButton(entry, e, form.name));
      if (e.form_action_type === 'submit') submitName = e.name;
    } else node.append(cardElement(entry, e));
  }
  node.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const m of node.querySelectorAll('.missing')) m.remove();
    const formValue = {};
    let missing = false;
    for (const f of node.querySelectorAll('[name]')) {
      if (f.tagName === 'BUTTON') continue;
      const v = f.value.trim();
      // Lark does not submit a form with an empty required field; it marks the field instead
      if (!v && f.hasAttribute('data-required')) {
        missing = true;
        f.after(el('div', { class: 'missing' }, '此项必填'));
      }
      if (v) formValue[f.name] = f.hasAttribute('data-date') ? `${v} +0800` : v;
    }
    if (missing) return;
    press(entry, { form: form.name, button: submitName, formValue }, node.querySelector('button[type=submit]'));
  });
  return node;
}

async function press(entry, what, button) {
  if (button) button.disabled = true;
  try {
    const r = await api('POST', '/api/actions', { me: state.me, chatId: entry.chatId, messageId: entry.messageId, ...what });
    if (r.toast) toast(r.toast.content, r.toast.type);
  } catch (e) {
    toast(e.message, 'error');
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

// ---- messages
function textWithMentions(text, mentions) {
  const names = (mentions || []).map((m) => m.name).sort((a, b) => b.length - a.length);
  const out = [];
  let rest = text;
  while (rest) {
    let best = -1;
    let who = null;
    for (const m of mentions || []) {
      for (const sign of ['@', '＠']) {
        const i = rest.indexOf(sign + m.name);
        if (i >= 0 && (best < 0 || i < best || (i === best && m.name.length > who.name.length))) {
          best = i;
          who = m;
        }
      }
    }
    if (best < 0 || !names.length) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, best), mention(who.userId, who.name));
    rest = rest.slice(best + 1 + who.name.length);
  }
  return out;
}

function botText(content) {
  let text = '';
  try {
    text = JSON.parse(content).text || '';
  } catch {}
  // Lark text: <at user_id="…">name</at> for mentions; the rest is shown as typed
  const parts = [];
  const re = /<at user_id="([^"]*)">([^<]*)<\/at>/g;
  let last = 0;
  for (let m; (m = re.exec(text)); last = re.lastIndex) parts.push(text.slice(last, m.index), mention(m[1], m[2]));
  parts.push(text.slice(last));
  return parts;
}

function sizeText(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** The file's badge: its kind (for the colour) and a short label. */
function fileIcon(name) {
  const ext = (name.match(/\.(\w+)$/) || [])[1]?.toLowerCase() ?? '';
  if (ext === 'xlsx' || ext === 'xls') return ['xlsx', 'XLS'];
  if (ext === 'docx' || ext === 'doc') return ['docx', 'DOC'];
  if (ext === 'pdf') return ['pdf', 'PDF'];
  if (/^(png|jpe?g|gif|webp|bmp)$/.test(ext)) return ['img', '图'];
  return ['other', ext.slice(0, 4).toUpperCase() || '文件'];
}

function drawMessage(entry) {
  const bot = entry.from.kind === 'bot';
  const name = bot ? state.bot : entry.from.name;
  const mine = !bot && entry.from.userId === state.me;
  let content;
  if (entry.kind === 'card') content = drawCard(entry);
  else if (entry.kind === 'file')
    content = el(
      'a',
      { class: 'file', href: `/files/${encodeURIComponent(entry.file.key)}`, download: entry.file.name },
      el('span', { class: `icon ${fileIcon(entry.file.name)[0]}` }, fileIcon(entry.file.name)[1]),
      el('span', {}, el('div', { class: 'name' }, entry.file.name), el('div', { class: 'size' }, sizeText(entry.file.size))),
    );
  else content = el('div', { class: 'bubble' }, bot ? botText(entry.content) : textWithMentions(entry.content, entry.mentions));
  const original = entry.replyTo && state.messages.find((m) => m.messageId === entry.replyTo);
  const quote = original && original.kind === 'text' && original.from.kind === 'user' ? el('div', { class: 'quote' }, `回复 ${original.from.name}：${original.content}`) : null;
  return el(
    'div',
    { class: `msg ${bot ? 'bot' : 'user'}${mine ? ' mine' : ''}`, 'data-id': entry.messageId, 'data-kind': entry.kind },
    el('div', { class: 'avatar', 'aria-hidden': 'true' }, bot ? '绩' : Array.from(name).slice(-2).join('')),
    el('div', { class: 'main' }, el('div', { class: 'meta' }, `${name} · ${beijing(entry.at)}`), quote, content),
  );
}

function drawMessages() {
  const box = $('#messages');
  box.replaceChildren();
  if (!state.messages.length) {
    const chat = currentChat();
    box.append(
      el(
        'div',
        { class: 'empty' },
        chat && chat.type === 'p2p'
          ? '这是你和机器人的单聊。领导可以在这里发“汇总”“逾期”。\n管理员可以先在群里发“设置领导 @刘局长”。'
          : '还没有消息。试试发送：\n新建评价 行政综合性经费 2024\n或者“帮助”看看机器人会做什么。',
      ),
    );
  }
  for (const m of state.messages) box.append(drawMessage(m));
  box.scrollTop = box.scrollHeight;
}

function onEntry(type, entry) {
  if (state.arriving && entry.chatId === state.arriving.chatId) state.arriving.arrived.push(entry);
  if (entry.chatId !== state.chatId) {
    if (type === 'message' && state.chats.some((c) => c.chatId === entry.chatId)) {
      state.unread[entry.chatId] = (state.unread[entry.chatId] || 0) + 1;
      drawChats();
    }
    return;
  }
  const box = $('#messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const i = state.messages.findIndex((m) => m.messageId === entry.messageId);
  if (i >= 0) {
    state.messages[i] = entry;
    const old = box.querySelector(`[data-id="${CSS.escape(entry.messageId)}"]`);
    if (old) old.replaceWith(drawMessage(entry));
    return;
  }
  if (!state.messages.length) box.replaceChildren();
  state.messages.push(entry);
  box.append(drawMessage(entry));
  if (atBottom || (entry.from.kind === 'user' && entry.from.userId === state.me)) box.scrollTop = box.scrollHeight;
}

// ---- people, chats, clock
function drawPeople() {
  const select = $('#me');
  select.replaceChildren(...state.people.map((p) => el('option', { value: p.userId }, p.note ? `${p.name}（${p.note}）` : p.name)));
  select.value = state.me;
}

function drawChats() {
  $('#chats').replaceChildren(
    ...state.chats.map((c) =>
      el(
        'button',
        { type: 'button', class: c.chatId === state.chatId ? 'active' : '', 'data-chat': c.chatId, onclick: () => openChat(c.chatId) },
        el('span', {}, c.name),
        state.unread[c.chatId] ? el('span', { class: 'unread' }, state.unread[c.chatId]) : el('span', { class: 'kind' }, c.type === 'p2p' ? '单聊' : '群'),
      ),
    ),
  );
  const chat = currentChat();
  $('#chat-title').textContent = chat ? chat.name : '';
  const me = person(state.me);
  $('#chat-sub').textContent = chat ? `${chat.type === 'p2p' ? '单聊' : '群聊'} · 我是 ${me ? me.name : ''}${me && me.admin ? '（管理员）' : ''}` : '';
}

function drawClock() {
  $('#clock-now').textContent = beijing(state.now);
}

async function loadState() {
  const s = await api('GET', `/api/state?me=${encodeURIComponent(state.me || '')}`);
  Object.assign(state, { people: s.people, chats: s.chats, now: s.now, bot: s.bot });
  if (!person(state.me)) state.me = state.people[0].userId;
  if (!state.chats.some((c) => c.chatId === state.chatId)) state.chatId = state.chats[0].chatId;
  // the chats list depends on who I am (my private chat): ask again with the right person
  if (!s.chats.some((c) => c.owner === state.me)) state.chats = (await api('GET', `/api/state?me=${encodeURIComponent(state.me)}`)).chats;
  drawPeople();
  drawChats();
  drawClock();
}

async function openChat(chatId) {
  // marks the list as stale until this chat's messages are drawn (tests and screen readers wait on it)
  $('#messages').dataset.loading = '1';
  state.chatId = chatId;
  sessionStorage.setItem('pg.chat', chatId);
  delete state.unread[chatId];
  document.getElementById('app').classList.remove('side-open');
  drawChats();
  // what arrives while the history loads may be newer than it: kept, and laid over it below
  const arrived = [];
  state.arriving = { chatId, arrived };
  const r = await api('GET', `/api/chats/${encodeURIComponent(chatId)}/messages?me=${encodeURIComponent(state.me)}`);
  if (state.arriving?.arrived === arrived) state.arriving = undefined;
  if (state.chatId !== chatId) return;
  const byId = new Map(r.messages.map((m) => [m.messageId, m]));
  for (const entry of arrived) byId.set(entry.messageId, entry);
  state.messages = [...byId.values()];
  drawMessages();
  delete $('#messages').dataset.loading;
}

async function switchPerson(userId) {
  $('#messages').dataset.loading = '1';
  state.me = userId;
  sessionStorage.setItem('pg.me', userId);
  const wasP2p = currentChat() && currentChat().type === 'p2p';
  await loadState();
  if (wasP2p) state.chatId = state.chats.find((c) => c.type === 'p2p' && c.owner === userId).chatId;
  await openChat(state.chatId);
}

async function send() {
  const box = $('#text');
  const text = box.value;
  if (!text.trim()) return;
  $('#send').disabled = true;
  try {
    await api('POST', '/api/messages', { me: state.me, chatId: state.chatId, text });
    box.value = '';
  } catch (e) {
    toast(e.message, 'error');
  } finally {
    $('#send').disabled = false;
    box.focus();
  }
}

async function sendFile(file) {
  if (!file) return;
  try {
    const buf = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
    await api('POST', '/api/files', { me: state.me, chatId: state.chatId, fileName: file.name, base64: btoa(bin) });
  } catch (e) {
    toast(e.message, 'error');
  } finally {
    $('#file').value = '';
  }
}

async function moveClock(body) {
  try {
    const r = await api('POST', '/api/clock', body);
    state.now = r.now;
    drawClock();
    toast(`模拟时间已拨到 ${beijing(r.now)}，到点的提醒已发出`, 'success');
  } catch (e) {
    toast(e.message, 'error');
  }
}

function connect() {
  const events = new EventSource('/api/events');
  events.onmessage = async (ev) => {
    const e = JSON.parse(ev.data);
    if (e.type === 'message' || e.type === 'update') onEntry(e.type, e.entry);
    else if (e.type === 'people' || e.type === 'chats' || e.type === 'clock') {
      await loadState();
    } else if (e.type === 'hello') {
      // (re)connected: anything missed while away is in the chat's history
      if (state.chatId) openChat(state.chatId).catch(() => undefined);
    }
  };
}

async function start() {
  state.me = sessionStorage.getItem('pg.me');
  state.chatId = sessionStorage.getItem('pg.chat');
  await loadState();
  $('#me').addEventListener('change', (e) => switchPerson(e.target.value));
  $('#composer').addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  $('#file').addEventListener('change', (e) => sendFile(e.target.files[0]));
  $('#text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  $('#menu').addEventListener('click', () => document.getElementById('app').classList.toggle('side-open'));
  $('#add-person').addEventListener('click', async () => {
    const name = prompt('新同事的姓名：');
    if (name === null) return;
    try {
      const r = await api('POST', '/api/people', { name });
      await loadState();
      toast(`已添加 ${r.person.name}，可以在“我是”里切换，或在群里 @${r.person.name}`, 'success');
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  $('#add-chat').addEventListener('click', async () => {
    const name = prompt('新群聊的名称（一个群一个评价）：');
    if (name === null) return;
    try {
      const r = await api('POST', '/api/chats', { name });
      await loadState();
      await openChat(r.chat.chatId);
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  $('#clock-go').addEventListener('click', () => {
    const to = $('#clock-to').value;
    moveClock({ to: to.replace('T', ' ') });
  });
  for (const b of document.querySelectorAll('.clock [data-days], .clock [data-hours]'))
    b.addEventListener('click', () => moveClock(b.dataset.days ? { days: Number(b.dataset.days) } : { hours: Number(b.dataset.hours) }));
  await openChat(state.chatId);
  connect();
}

start().catch((e) => toast(e.message, 'error'));
