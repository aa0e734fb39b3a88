// The helper's phone page: plain script, no build step, talks to the register's JSON API.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { token: localStorage.getItem("popup-pos-token"), me: null, items: [],
  cart: new Map(), pending: null, selling: false, order: null, polling: null, down: 0 };
const POLL_MS = 1500;
// The server shares one stock-and-queue state among all phones, at most 250 ms old
// (STATE_MAX_AGE_S in web/app.py): after its own change the page asks once that has passed,
// so it never shows the stock from before its own sale.
const FRESH_AFTER_MS = 300;

function money(cents) {
  const cur = (state.me && state.me.currency) || "USD";
  try { return new Intl.NumberFormat(undefined, { style: "currency", currency: cur }).format(cents / 100); }
  catch (e) { return (cents / 100).toFixed(2); }
}

function newKey() {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
}

function banner(text, bad) {
  const b = $("banner");
  b.hidden = !text;
  b.textContent = text || "";
  b.classList.toggle("bad", !!bad);
}

// One call to the register. A change carries an idempotency key, kept across retries,
// so a request whose answer was lost is sent again without selling twice.
async function api(method, path, body, key) {
  const headers = { "Accept": "application/json" };
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  if (key) headers["Idempotency-Key"] = key;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  } catch (e) {
    throw { offline: true, message: "Can't reach the register. Nothing is lost: try again." };
  }
  let data = {};
  try { data = await res.json(); } catch (e) { data = { error: "the register sent an unreadable answer" }; }
  if (res.status === 401 && path !== "/api/pair") { signOut(data.error); }
  if (!res.ok) throw { status: res.status, message: data.error || ("error " + res.status) };
  return data;
}

// Retries a change while the network is down, with the same key each time.
async function change(method, path, body, key, tries = 4) {
  for (let i = 0; ; i++) {
    try { return await api(method, path, body, key); }
    catch (e) {
      const again = (e.offline || e.status === 409 && /still being carried out/.test(e.message));
      if (!again || i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 700 * (i + 1)));
    }
  }
}

// -- sign-in --------------------------------------------------------------------------

function pairingCode() {
  const m = location.hash.match(/pair=([A-Za-z0-9]+)/);
  if (m) { sessionStorage.setItem("popup-pos-pair", m[1]); history.replaceState(null, "", "/"); }
  return sessionStorage.getItem("popup-pos-pair");
}

function signOut(why) {
  state.token = null;
  localStorage.removeItem("popup-pos-token");
  clearInterval(state.polling);
  show("signin");
  $("signin-why").textContent = why || "Enter your PIN to use this phone as a register.";
}

function show(which) {
  $("signin").hidden = which !== "signin";
  $("main").hidden = which !== "main";
}

$("signin-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const code = pairingCode();
  $("signin-error").textContent = "";
  if (!code) { $("signin-error").textContent = "Scan the pairing QR on the register first."; return; }
  $("signin-go").disabled = true;
  try {
    const res = await api("POST", "/api/pair", { code, pin: $("pin").value, name: navigator.platform || null });
    state.token = res.token;
    localStorage.setItem("popup-pos-token", res.token);
    sessionStorage.removeItem("popup-pos-pair");
    $("pin").value = "";
    await start();
  } catch (e) {
    $("signin-error").textContent = e.message;
  } finally { $("signin-go").disabled = false; }
});

// -- selling --------------------------------------------------------------------------

// Each tile is one button per SKU, kept across polls and changed in place: a button
// replaced under a finger mid-tap loses the tap.
function renderTiles() {
  const q = $("search").value.trim().toLowerCase();
  const box = $("tiles");
  const kept = new Map(Array.from(box.children, (b) => [b.dataset.sku, b]));
  let at = 0;
  for (const it of state.items) {
    const text = (it.product + " " + it.label + " " + it.sku).toLowerCase();
    if (q && !text.includes(q)) continue;
    const b = kept.get(it.sku) || newTile(it.sku);
    kept.delete(it.sku);
    fillTile(b, it);
    if (box.children[at] !== b) box.insertBefore(b, box.children[at] || null);
    at += 1;
  }
  for (const gone of kept.values()) gone.remove();
}

function newTile(sku) {
  const b = document.createElement("button");
  b.dataset.sku = sku;
  b.innerHTML = `<span class="name"></span><span class="label"></span>
    <span class="foot"><span class="price"></span><span class="badge"></span></span>`;
  b.addEventListener("click", () => addToCart(sku));
  return b;
}

function fillTile(b, it) {
  b.className = "tile" + (it.sold_out ? " out" : "");
  b.disabled = it.sold_out;
  b.querySelector(".name").textContent = it.product;
  b.querySelector(".label").textContent = variantOf(it) || it.sku;
  b.querySelector(".price").textContent = money(it.price_cents);
  const badge = b.querySelector(".badge");
  badge.hidden = it.available === null;
  badge.className = "badge" + (it.sold_out ? " out" : it.low_stock ? " low" : "");
  badge.textContent = it.sold_out ? "sold out" : it.available + " left";
}

// The polls redraw a list only when what it shows has changed, so its buttons stay put
// (and keep their idempotency keys) between changes.
function unchanged(box, shown) {
  const sig = JSON.stringify(shown);
  if (box.dataset.shown === sig) return true;
  box.dataset.shown = sig;
  return false;
}

// A variant's size or colour ("M", "Black / L"), which tells the tiles of one product apart.
function variantOf(it) { return Object.values(it.options || {}).join(" / "); }

function item(sku) { return state.items.find((i) => i.sku === sku); }

function limitOf(it) {
  const caps = [it.available, it.per_order_limit, it.per_person_limit].filter((n) => n !== null && n !== undefined);
  return caps.length ? Math.min(...caps) : 999;
}

function addToCart(sku, by = 1) {
  const it = item(sku);
  const now = (state.cart.get(sku) || 0) + by;
  if (!it || now <= 0) state.cart.delete(sku);
  else if (now > limitOf(it)) { setMsg("sale-msg", `At most ${limitOf(it)} of ${it.product} ${it.label}`, true); return; }
  else state.cart.set(sku, now);
  state.pending = null; // the cart changed: a new sale, a new key
  renderCart();
}

function cartLines() { return Array.from(state.cart, ([sku, quantity]) => ({ sku, quantity })); }

function renderCart() {
  let total = 0, perPerson = false;
  for (const [sku, qty] of state.cart) {
    const it = item(sku);
    if (!it) continue;
    total += it.price_cents * qty;
    perPerson = perPerson || it.per_person_limit !== null;
  }
  $("customer").hidden = !perPerson;
  $("total").textContent = money(total);
  // While a sale is on its way the pay buttons stay off, whatever a poll brings.
  $("pay-cash").disabled = $("pay-qr").disabled = state.cart.size === 0 || state.selling;
  renderCartLines();
}

function renderCartLines() {
  const box = $("cart-lines");
  const lines = [];
  for (const [sku, qty] of state.cart) {
    const it = item(sku);
    if (!it) continue;
    let name = it.product + (variantOf(it) ? " · " + variantOf(it) : "");
    // Another register sold the last ones meanwhile: say so before the sale is refused.
    const stale = it.available !== null && qty > it.available;
    if (stale) name += it.available > 0 ? ` (only ${it.available} left)` : " (sold out)";
    lines.push([sku, qty, name, stale]);
  }
  if (unchanged(box, lines)) return;
  box.replaceChildren();
  for (const [sku, qty, text, stale] of lines) {
    const row = document.createElement("div");
    row.className = "line";
    const name = document.createElement("span");
    name.textContent = text;
    if (stale) name.className = "stale";
    const minus = document.createElement("button"); minus.textContent = "−";
    minus.setAttribute("aria-label", "one less");
    minus.addEventListener("click", () => addToCart(sku, -1));
    const count = document.createElement("strong"); count.textContent = "× " + qty;
    const plus = document.createElement("button"); plus.textContent = "+";
    plus.setAttribute("aria-label", "one more");
    plus.addEventListener("click", () => addToCart(sku, 1));
    row.append(name, minus, count, plus);
    box.appendChild(row);
  }
}

function setMsg(id, text, bad) {
  const m = $(id);
  m.textContent = text || "";
  m.className = "msg " + (bad ? "bad" : "ok");
}

function parseCents(text) {
  const t = text.trim().replace(",", ".");
  if (!t) return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return NaN;
  return Math.round(parseFloat(t) * 100);
}

async function sell(tender) {
  const tendered = parseCents($("tendered").value);
  if (Number.isNaN(tendered)) { setMsg("sale-msg", "Cash given: a number like 20 or 7.50", true); return; }
  const body = { lines: cartLines(), tender, customer: $("customer").value || null };
  if (tender === "cash" && tendered !== null) body.tendered_cents = tendered;
  state.pending = state.pending || newKey();
  state.selling = true;
  $("pay-cash").disabled = $("pay-qr").disabled = true;
  try {
    const res = await change("POST", "/api/sales", body, state.pending);
    state.pending = null;
    state.cart.clear();
    $("tendered").value = ""; $("customer").value = "";
    renderCart();
    if (tender === "cash") {
      setMsg("sale-msg", `Sold ${res.order}` + (res.change_cents ? ` · change ${money(res.change_cents)}` : ""));
    } else { await showPaymentQr(res.order, res.total_cents); }
    pollSoon();
  } catch (e) {
    if (!e.offline) state.pending = null; // refused: nothing was sold, the next try is new
    setMsg("sale-msg", e.message, true);
    pollSoon();
  } finally { state.selling = false; renderCart(); }
}

const WALLET_NAMES = { venmo: "Venmo", cashapp: "Cash App", paypal: "PayPal" };

function overlay(title, note) {
  $("fullqr-title").textContent = title;
  $("fullqr-note").textContent = note || "";
  $("fullqr-code").replaceChildren();
  $("fullqr-actions").replaceChildren();
  $("fullqr").hidden = false;
}

function action(label, cls, onClick) {
  const b = document.createElement("button");
  b.className = cls + " wide";
  b.textContent = label;
  b.addEventListener("click", onClick);
  $("fullqr-actions").appendChild(b);
  return b;
}

// The order waits for payment: the helper picks how the customer pays, and the QR fills
// the screen for the customer to scan.
async function showPaymentQr(order, total) {
  overlay(`Order ${order} · ${money(total)}`, "How does the customer pay? Unpaid, it waits in the shared queue.");
  action("Card (Stripe QR)", "primary", () => payBy(order, "stripe"));
  for (const w of state.me.wallets || []) {
    action(WALLET_NAMES[w] || w, "secondary", () => payBy(order, "wallet:" + w));
  }
}

async function payBy(order, method) {
  let res;
  try {
    res = await api("POST", `/api/orders/${encodeURIComponent(order)}/payment-qr`, { method });
  } catch (e) { $("fullqr-note").textContent = e.message; return; }
  overlay(`${res.label}: order ${res.order}`, "The customer scans this to pay.");
  $("fullqr-code").innerHTML = res.svg;
  if (method.startsWith("wallet:")) {
    const wallet = method.slice(7);
    const key = newKey();
    const b = action("Money received", "primary", async () => {
      b.disabled = true;
      try {
        const r = await change("POST", `/api/orders/${encodeURIComponent(order)}/wallet-received`, { wallet }, key);
        overlay(`Paid: ${r.order}`, "Recorded under your name and handed over.");
        pollSoon();
      } catch (e) { $("fullqr-note").textContent = e.message; b.disabled = false; }
    });
  } else { watchPaid(order); }
}

// Stripe tells the registers when the customer has paid; the phone watches the order.
function watchPaid(order) {
  const timer = setInterval(async () => {
    if ($("fullqr").hidden) { clearInterval(timer); return; }
    try {
      const o = await api("GET", "/api/orders/" + encodeURIComponent(order));
      if (o.status === "paid" || o.status === "fulfilled") {
        clearInterval(timer);
        overlay(`Paid: ${o.order}`, "Hand it over from the Hand over tab, or here:");
        const key = newKey();
        action("Handed over", "primary", async () => {
          try { await change("POST", `/api/orders/${encodeURIComponent(o.order)}/hand-over`, undefined, key); $("fullqr").hidden = true; }
          catch (e) { $("fullqr-note").textContent = e.message; }
        });
      }
    } catch (e) { /* offline for a moment: the next tick tries again */ }
  }, 2000);
}

$("fullqr-close").addEventListener("click", () => { $("fullqr").hidden = true; });
$("pay-cash").addEventListener("click", () => sell("cash"));
$("pay-qr").addEventListener("click", () => sell("later"));
$("search").addEventListener("input", renderTiles);

// -- hand-over ------------------------------------------------------------------------

async function findOrder(code) {
  setMsg("handover-msg", "");
  $("order-view").replaceChildren();
  if (!code.trim()) return;
  // A ticket slip's code (GIG-12, see TICKET_CODE_PREFIX): printed slips carry it.
  const ticket = code.trim().match(/^GIG-?(\d+)$/i);
  if (ticket) { await callTicket(Number(ticket[1])); return; }
  try {
    const o = await api("GET", "/api/orders/" + encodeURIComponent(code.trim()));
    state.order = o;
    const box = document.createElement("div");
    box.className = "order";
    const h = document.createElement("strong");
    h.textContent = `${o.order} · ${o.status.replace("_", " ")} · ${money(o.total_cents)}`;
    box.appendChild(h);
    for (const ln of o.lines) {
      const p = document.createElement("div");
      p.textContent = `${ln.quantity} × ${ln.name}` + (ln.editions ? ` (#${ln.editions})` : "") +
        (ln.personalisation ? ` — “${ln.personalisation}”` : "");
      box.appendChild(p);
    }
    if (o.status === "paid") {
      const b = document.createElement("button");
      b.className = "primary wide"; b.id = "hand-over"; b.textContent = "Handed over";
      const key = newKey();
      b.addEventListener("click", async () => {
        b.disabled = true;
        try {
          const r = await change("POST", `/api/orders/${encodeURIComponent(o.order)}/hand-over`, undefined, key);
          setMsg("handover-msg", `${r.order} handed over`);
          b.remove();
        } catch (e) { setMsg("handover-msg", e.message, true); b.disabled = false; }
      });
      box.appendChild(b);
    }
    $("order-view").appendChild(box);
  } catch (e) { setMsg("handover-msg", e.message, true); }
}

$("find-form").addEventListener("submit", (ev) => { ev.preventDefault(); findOrder($("order-code").value); });

$("scan-photo").addEventListener("change", async () => {
  const f = $("scan-photo").files[0];
  if (!f) return;
  const form = new FormData();
  form.append("photo", f);
  setMsg("handover-msg", "Reading the photo…");
  try {
    const res = await api("POST", "/api/scan", form);
    $("order-code").value = res.codes[0];
    await findOrder(res.codes[0]);
  } catch (e) { setMsg("handover-msg", e.message, true); }
  $("scan-photo").value = "";
});

// Live scanning needs a secure context (HTTPS) and a browser with BarcodeDetector.
if (window.isSecureContext && "BarcodeDetector" in window && navigator.mediaDevices) {
  $("scan-live").hidden = false;
  $("scan-live").addEventListener("click", async () => {
    const video = $("camera");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) { setMsg("handover-msg", "The camera is not available: take a photo instead", true); return; }
    video.srcObject = stream; video.hidden = false; await video.play();
    const detector = new BarcodeDetector({ formats: ["qr_code", "code_128"] });
    const stop = () => { stream.getTracks().forEach((t) => t.stop()); video.hidden = true; };
    const tick = async () => {
      if (video.hidden) return;
      try {
        const found = await detector.detect(video);
        if (found.length) { stop(); $("order-code").value = found[0].rawValue; findOrder(found[0].rawValue); return; }
      } catch (e) { /* a frame that could not be read: try the next */ }
      requestAnimationFrame(tick);
    };
    tick();
  });
}

// -- ticket queue ---------------------------------------------------------------------

// The orders at the table: paid ones to hand over first, then those waiting for payment.
function renderWaitingOrders(q) {
  const box = $("waiting-orders");
  const rows = q.to_hand_over.map((o) => [o, "paid"]).concat(q.awaiting_payment.map((o) => [o, ""]));
  if (unchanged(box, rows)) return;
  box.replaceChildren();
  for (const [o, cls] of rows) {
    const b = document.createElement("button");
    b.className = cls || "secondary";
    b.textContent = `${o.order} · ${cls ? "hand over" : "unpaid"}`;
    b.addEventListener("click", () => { $("order-code").value = o.order; findOrder(o.order); });
    box.appendChild(b);
  }
}

function renderQueue(q) {
  renderWaitingOrders(q);
  $("queue-count").textContent = q.waiting ? String(q.waiting) : "";
  const box = $("tickets");
  if (unchanged(box, q.tickets)) return;
  box.replaceChildren();
  for (const t of q.tickets) {
    const div = document.createElement("div");
    div.className = "ticket";
    const h = document.createElement("strong");
    h.textContent = `${t.code} · ${t.name} · ${t.status}`;
    div.appendChild(h);
    if (t.personalisation) { const p = document.createElement("div"); p.textContent = "“" + t.personalisation + "”"; div.appendChild(p); }
    if (t.status === "called") {
      const acts = document.createElement("div"); acts.className = "acts";
      for (const [status, label] of [["done", "Done"], ["no_show", "No-show"]]) {
        const b = document.createElement("button");
        b.className = status === "done" ? "primary" : "secondary"; b.textContent = label;
        const key = newKey();
        b.addEventListener("click", async () => {
          try { await change("POST", `/api/queue/${t.id}`, { status }, key); pollSoon(); }
          catch (e) { setMsg("queue-msg", e.message, true); }
        });
        acts.appendChild(b);
      }
      div.appendChild(acts);
    }
    box.appendChild(div);
  }
}

// A ticket slip scanned or typed on the Hand over tab: call that ticket.
async function callTicket(id) {
  try {
    const r = await change("POST", `/api/queue/${id}`, { status: "called" }, newKey());
    document.querySelector('.tab[data-tab="queue"]').click();
    setMsg("queue-msg", `Called ${r.ticket}`);
    pollSoon();
  } catch (e) { setMsg("handover-msg", e.message, true); }
}

$("call-next").addEventListener("click", async () => {
  try {
    const r = await change("POST", "/api/queue/call-next", undefined, newKey());
    setMsg("queue-msg", r.called ? `Called ${r.called}` : "Nobody is waiting");
    pollSoon();
  } catch (e) { setMsg("queue-msg", e.message, true); }
});

// -- tabs, polling, start -------------------------------------------------------------

for (const t of document.querySelectorAll(".tab")) {
  t.addEventListener("click", () => {
    for (const o of document.querySelectorAll(".tab")) o.classList.toggle("on", o === t);
    for (const name of ["sell", "handover", "queue"]) $("tab-" + name).hidden = t.dataset.tab !== name;
  });
}

function pollSoon() { setTimeout(poll, FRESH_AFTER_MS); }

async function poll() {
  if (!state.token) return;
  try {
    const s = await api("GET", "/api/state");
    state.items = s.stock.items;
    state.down = 0;
    $("live").className = "dot ok";
    banner("");
    renderTiles();
    renderCart();
    renderQueue(s.queue);
  } catch (e) {
    if (e.offline) {
      state.down += 1;
      $("live").className = "dot down";
      if (state.down >= 2) banner("The register can't be reached (server stopped or Wi-Fi lost). Nothing is lost: your cart is kept and it retries by itself.", true);
    }
  }
}

async function start() {
  state.me = await api("GET", "/api/me");
  $("who").textContent = `${state.me.staff} · register ${state.me.register}`;
  show("main");
  await poll();
  clearInterval(state.polling);
  state.polling = setInterval(poll, POLL_MS);
}

(async () => {
  const code = pairingCode();
  if (state.token && !code) {
    try { await start(); return; }
    catch (e) {
      if (e.offline) { show("main"); banner(e.message, true); state.polling = setInterval(() => start().catch(() => {}), 3000); return; }
    }
  }
  show("signin");
  if (!code) $("signin-why").textContent = "Scan the pairing QR on the register to sign this phone in.";
})();
