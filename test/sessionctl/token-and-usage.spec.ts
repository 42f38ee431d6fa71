import { JwtService } from '@nestjs/jwt';
import { freePort } from '../support/free-port.js';
import { mintToken } from '../support/service-tokens.js';
import { sessionctl, STACK_LINE } from './cli-runner.js';

const SECRET = 'sessionctl-spec-secret-0123456789-abcdef';

interface Claims {
  sub: string;
  scope: string;
  aud: string;
  iat: number;
  exp: number;
}

describe('sessionctl token mint', () => {
  it('prints an HS256 token for audience session-service with the given sub, scope and ttl', async () => {
    const run = await sessionctl(['token', 'mint', '--sub', 'ops-alice', '--scope', 'session:read session:admin', '--ttl', '1h'], {
      SESSION_SERVICE_AUTH_SECRET: SECRET,
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = run.stdout.trim();
    const claims = new JwtService().verify<Claims>(token, { secret: SECRET, audience: 'session-service', algorithms: ['HS256'] });
    expect(claims).toMatchObject({ sub: 'ops-alice', scope: 'session:read session:admin', aud: 'session-service' });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
  });

  it('prints the token and its claims as JSON with --json; --ttl takes minutes, days and plain seconds', async () => {
    for (const [ttl, seconds] of [
      ['30m', 1800],
      ['2d', 172800],
      ['90', 90],
    ] as const) {
      const run = await sessionctl(['token', 'mint', '--sub', 'ci', '--scope', 'session:admin', '--ttl', ttl, '--json'], {
        SESSION_SERVICE_AUTH_SECRET: SECRET,
      });
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { token: string; sub: string; scope: string; audience: string; expiresAt: string };
      expect(out).toMatchObject({ sub: 'ci', scope: 'session:admin', audience: 'session-service' });
      const claims = new JwtService().verify<Claims>(out.token, { secret: SECRET, audience: 'session-service' });
      expect(claims.exp - claims.iat).toBe(seconds);
    }
  });

  it('refuses to mint without the secret, with an unknown scope, a bad ttl or a missing --sub (exit 2)', async () => {
    const mint = ['token', 'mint', '--sub', 'ops', '--scope', 'session:admin'];
    const noSecret = await sessionctl(mint, {});
    expect(noSecret).toMatchObject({ code: 2, stdout: '' });
    expect(noSecret.stderr).toBe('sessionctl: SESSION_SERVICE_AUTH_SECRET is not set: it is the secret the service verifies tokens with\n');

    const env = { SESSION_SERVICE_AUTH_SECRET: SECRET };
    expect(await sessionctl(['token', 'mint', '--sub', 'ops', '--scope', 'session:root'], env)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('unknown scope session:root'),
    });
    expect(await sessionctl([...mint, '--ttl', '1 week'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--ttl must be a duration'),
    });
    expect(await sessionctl(['token', 'mint', '--scope', 'session:admin'], env)).toMatchObject({
      code: 2,
      stderr: 'sessionctl: missing --sub\n',
    });
  });
});

describe('sessionctl usage errors (exit 2) and an unreachable service (exit 1)', () => {
  const env = { SESSION_SERVICE_TOKEN: mintToken('session:admin'), SESSION_SHOP: 'shop-a' };

  it("exits 2 on an unknown command or option, printing commander's message and no stack", async () => {
    const unknownCommand = await sessionctl(['sessions', 'lst'], env);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'lst'");
    const unknownOption = await sessionctl(['sessions', 'list', '--user', 'u-1', '--frobnicate'], env);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
    for (const run of [unknownCommand, unknownOption]) expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('exits 2 when --user, --shop, an option value or the token is missing, before calling anything', async () => {
    expect(await sessionctl(['sessions', 'list'], env)).toEqual({ code: 2, stdout: '', stderr: 'sessionctl: missing --user\n' });
    expect(await sessionctl(['sessions', 'revoke', '--shop', 'shop-a'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sessionctl: missing --user (or --from-file)\n',
    });
    expect(await sessionctl(['sessions', 'list', '--user', 'u-1'], { SESSION_SERVICE_TOKEN: 't' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sessionctl: missing --shop (or set SESSION_SHOP)\n',
    });
    expect(await sessionctl(['sessions', 'list', '--user', 'u-1'], { SESSION_SHOP: 'shop-a' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no service token'),
    });
    expect(await sessionctl(['audit', 'tail', '-n', 'zero'], env)).toMatchObject({
      code: 2,
      stderr: 'sessionctl: -n must be a positive integer, got zero\n',
    });
    expect(await sessionctl(['sessions', 'show'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("missing required argument 'id'"),
    });
    expect(await sessionctl(['sessions', 'list', '--user', 'u-1', '--port', '99999'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port must be a port number'),
    });
    expect(await sessionctl(['sessions', 'list', '--user', 'u-1'], { ...env, SESSION_SERVICE_URL: 'http://x:1' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('tcp://host:port'),
    });
  });

  it('exits 0 for --help, 2 for no command at all', async () => {
    const help = await sessionctl(['sessions', 'revoke', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--all-shops');
    expect(help.stdout).toContain('--keep <id>');
    expect((await sessionctl([], env)).code).toBe(2);
  });

  it('exits 1 with one line when nothing listens at the address, from --port or SESSION_SERVICE_URL', async () => {
    const port = await freePort();
    const viaFlag = await sessionctl(['sessions', 'list', '--user', 'u-1', '--port', String(port)], env);
    expect(viaFlag).toEqual({
      code: 1,
      stdout: '',
      stderr: `sessionctl: cannot reach the session service at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
    const viaUrl = await sessionctl(['audit', 'tail'], { ...env, SESSION_SERVICE_URL: `tcp://127.0.0.1:${port}` });
    expect(viaUrl).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(new RegExp(`^sessionctl: cannot reach the session service at 127\\.0\\.0\\.1:${port}: .*\\n$`)),
    });
  });

  it('prints each usage error as exactly one line, as docs/operations.md says', async () => {
    const hint = '(run with --help for usage)';
    expect(await sessionctl(['sessions', 'lst'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: `sessionctl: unknown command 'lst' ${hint}\n`,
    });
    expect(await sessionctl(['sessions', 'list', '--user', 'u-1', '--frobnicate'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: `sessionctl: unknown option '--frobnicate' ${hint}\n`,
    });
    expect(await sessionctl(['sessions', 'show'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: `sessionctl: missing required argument 'id' ${hint}\n`,
    });
    expect(await sessionctl(['audit', 'tail', '-n'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: `sessionctl: option '-n, --lines <count>' argument missing ${hint}\n`,
    });
  });

  it('prints errors as one JSON line on stderr with --json, stdout staying empty', async () => {
    const port = await freePort();
    const unreachable = await sessionctl(['audit', 'tail', '--json'], { ...env, SESSION_SERVICE_URL: `tcp://127.0.0.1:${port}` });
    expect(unreachable).toMatchObject({ code: 1, stdout: '' });
    expect(unreachable.stderr).toMatch(/^\{.*\}\n$/);
    expect(JSON.parse(unreachable.stderr)).toEqual({
      error: {
        message: `cannot reach the session service at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
        code: 'UNAVAILABLE',
        exitCode: 1,
      },
    });
    const missing = await sessionctl(['sessions', 'list', '--json'], env);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(missing.stderr)).toEqual({ error: { message: 'missing --user', code: 'USAGE', exitCode: 2 } });
    const unknown = await sessionctl(['--json', 'sessions', 'lst'], env);
    expect(JSON.parse(unknown.stderr)).toEqual({
      error: { message: "unknown command 'lst' (run with --help for usage)", code: 'USAGE', exitCode: 2 },
    });
  });

  it('prints the stack only with --verbose', async () => {
    const port = String(await freePort());
    const verbose = await sessionctl(['--verbose', 'sessions', 'list', '--user', 'u-1', '--port', port], env);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n')[0]).toContain('cannot reach the session service');
    expect(verbose.stderr).toMatch(STACK_LINE);
  });
});
