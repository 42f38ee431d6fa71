import { JwtService } from '@nestjs/jwt';
import { SERVICE_TOKEN_AUDIENCE } from '#libs/contracts';

export const TEST_AUTH_SECRET = 'test-auth-secret-0123456789-abcdefghijklmnop';

const jwt = new JwtService();

/** Mints a service token the way a caller's platform would. */
export function mintToken(scope: string, overrides: { secret?: string; audience?: string; expiresIn?: number; sub?: string } = {}): string {
  return jwt.sign(
    { sub: overrides.sub ?? 'storefront-test', scope },
    {
      secret: overrides.secret ?? TEST_AUTH_SECRET,
      audience: overrides.audience ?? SERVICE_TOKEN_AUDIENCE,
      expiresIn: overrides.expiresIn ?? 3600,
      algorithm: 'HS256',
    },
  );
}
