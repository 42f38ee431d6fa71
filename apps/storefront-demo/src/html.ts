import type { StorefrontSession } from '#libs/session-client';
import type { DemoShop } from './demo-options.js';

/** A value made safe for HTML text and attributes. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageFrame {
  title: string;
  shop: DemoShop;
  shops: readonly DemoShop[];
  session: StorefrontSession;
  /** Base path of the shop, e.g. `/shop/1001`. */
  base: string;
  cartCount: number;
  wishlistCount: number;
  notice?: string;
}

/** The whole page around `body`: navigation, who is signed in, the other shops. */
export function page(frame: PageFrame, body: string): string {
  const { base, session } = frame;
  const who = session.user
    ? `<span id="who">Signed in as <strong>${esc(session.user.name ?? session.user.id)}</strong></span>
       <form method="post" action="${base}/logout" class="inline"><button id="sign-out">Sign out</button></form>`
    : `<span id="who">Guest</span> <a id="sign-in" href="${base}/login">Sign in</a>`;
  const others = frame.shops
    .filter((s) => s.id !== frame.shop.id)
    .map((s) => `<a href="/shop/${esc(s.id)}/">${esc(s.name)}</a>`)
    .join(' ');
  const offline = session.available
    ? ''
    : `<p class="notice warn" id="offline">Sessions are unavailable right now: you are browsing as a guest.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(frame.title)} · ${esc(frame.shop.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body data-shop="${esc(frame.shop.id)}" data-user="${esc(session.user?.id ?? '')}">
<header>
  <a class="brand" href="${base}/">${esc(frame.shop.name)}</a>
  <nav>
    <a href="${base}/">Products</a>
    <a href="${base}/cart" id="nav-cart">Cart (<span id="cart-count">${frame.cartCount}</span>)</a>
    <a href="${base}/wishlist" id="nav-wishlist">Wishlist (<span id="wishlist-count">${frame.wishlistCount}</span>)</a>
    ${session.user ? `<a href="${base}/account" id="nav-account">Account</a>` : ''}
  </nav>
  <div class="who">${who}</div>
</header>
<main>
${offline}${frame.notice ? `<p class="notice" id="notice">${esc(frame.notice)}</p>` : ''}
<h1>${esc(frame.title)}</h1>
${body}
</main>
<footer>Other shops on this host: ${others || 'none'} · Storefront Session Service demo</footer>
</body></html>`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{display:flex;gap:1.5rem;align-items:center;padding:.8rem 1.5rem;background:#1d3557;color:#fff}
header a{color:#fff;text-decoration:none}.brand{font-weight:700;font-size:1.2rem}
nav{display:flex;gap:1rem;flex:1}.who{display:flex;gap:.6rem;align-items:center}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;overflow:hidden}
.swatch{height:5rem}.card .body{padding:.8rem}.price{font-weight:600}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #ddd;padding:.5rem;text-align:left}
button{cursor:pointer;padding:.35rem .8rem;border-radius:6px;border:1px solid #1d3557;background:#fff;color:#1d3557}
button.primary{background:#1d3557;color:#fff}.inline{display:inline}
input[type=number]{width:4rem}.notice{background:#e8f4ea;border:1px solid #9bc59d;padding:.6rem;border-radius:6px}
.warn{background:#fdf1e6;border-color:#e6a15c}footer{color:#666;padding:1rem 1.5rem;font-size:.85rem}
.customers{display:flex;gap:1rem;flex-wrap:wrap}.customers form{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem}
`;
