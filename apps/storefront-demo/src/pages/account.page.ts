import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { esc } from '../html.js';
import type { ShopContext } from '../shop-context.js';

/** How the service names a session in listings: base64url SHA-256 of its ID (raw IDs are never stored). */
const handleOf = (sessionId: string): string => createHash('sha256').update(sessionId).digest('base64url');

export function accountPages(router: Router, shop: ShopContext): void {
  router.get('/account', async (req, res) => {
    const session = shop.session(req);
    if (!session.user) return shop.redirect(res, '/login', 'Sign in to see your account.');
    const { data } = await shop.options.accountClient.listSessions(shop.shop.id, { userId: session.user.id });
    const current = session.sessionId ? handleOf(session.sessionId) : null;
    const others = data.sessions.filter((s) => s.id !== current);
    const rows = others
      .map((s) => `<tr class="device"><td>${esc(s.id.slice(0, 10))}…</td><td>${esc(s.createdAt)}</td><td>${esc(s.lastSeenAt)}</td></tr>`)
      .join('\n');
    const list = others.length
      ? `<table id="other-devices"><tr><th>Session</th><th>Signed in</th><th>Last seen</th></tr>${rows}</table>
<form method="post" action="${shop.base}/account/logout-others"><p><button class="primary" id="logout-others">Log out other devices</button></p></form>`
      : `<p id="no-other-devices">You are not signed in on any other device.</p>`;
    const user = session.user;
    await shop.render(
      req,
      res,
      'Your account',
      `<p>${esc(user.name ?? user.id)} · ${esc(user.email ?? '')} · customer id <code>${esc(user.id)}</code></p>
<h2>Your sessions on other devices</h2>${list}`,
    );
  });

  router.post('/account/logout-others', async (req, res) => {
    const session = shop.session(req);
    if (!session.user) return shop.redirect(res, '/login', 'Sign in first.');
    const { destroyed } = await session.logoutOtherDevices();
    shop.redirect(res, '/account', `Logged out ${destroyed} other device(s).`);
  });
}
