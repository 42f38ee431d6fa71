import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** A method pattern, or a prefix ending in `*` (`account.*`). */
const PATTERN_GLOB = /^[A-Za-z0-9_.-]{1,128}\*?$|^\*$/;

/** Methods that need a recent login: `maxAgeSeconds` since the last login or re-authentication. */
export class RecentLoginSchema {
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) maxAgeSeconds?: number;
  /** Built-in (or any) methods to hold to maxAgeSeconds, by pattern; `*` ends a prefix. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(PATTERN_GLOB, { each: true, message: 'patterns must be method patterns, optionally ending in *' })
  patterns?: string[];
}

export class ThrottleLimitSchema {
  /** Failed logins within the window that lock the account (or client key). */
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxFailures?: number;
  @IsOptional() @IsInt() @Min(1) @Max(86_400) windowSeconds?: number;
}

export class LoginThrottleSchema {
  @IsOptional() @IsBoolean() enabled?: boolean;
  /** Per account (the normalised email). */
  @IsOptional() @ValidateNested() @Type(() => ThrottleLimitSchema) account?: ThrottleLimitSchema;
  /** Per client key (what the caller passes as `clientKey`, e.g. the shopper's IP address). */
  @IsOptional() @ValidateNested() @Type(() => ThrottleLimitSchema) clientKey?: ThrottleLimitSchema;
  /** The first lock-out; each further one doubles it, up to maxLockSeconds. */
  @IsOptional() @IsInt() @Min(1) @Max(86_400) lockSeconds?: number;
  @IsOptional() @IsInt() @Min(1) @Max(604_800) maxLockSeconds?: number;
}

export class SecuritySchema {
  @IsOptional() @ValidateNested() @Type(() => RecentLoginSchema) recentLogin?: RecentLoginSchema;
  @IsOptional() @ValidateNested() @Type(() => LoginThrottleSchema) loginThrottle?: LoginThrottleSchema;
}

export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
}

export interface LoginThrottlePolicy {
  enabled: boolean;
  account: ThrottleLimit;
  clientKey: ThrottleLimit;
  lockMs: number;
  maxLockMs: number;
}

/** One shop's security settings, defaults applied. */
export interface SecuritySettings {
  recentLogin: { maxAgeSeconds: number; patterns: string[] };
  loginThrottle: LoginThrottlePolicy;
}

export const SECURITY_DEFAULTS = {
  recentLoginMaxAgeSeconds: 900,
  account: { maxFailures: 5, windowSeconds: 900 },
  clientKey: { maxFailures: 50, windowSeconds: 900 },
  lockSeconds: 60,
  maxLockSeconds: 3_600,
};

/** The shop's `security` block over the top-level one, field by field. */
export function buildSecuritySettings(top: SecuritySchema | undefined, own: SecuritySchema | undefined): SecuritySettings {
  const recent = { ...defined(top?.recentLogin), ...defined(own?.recentLogin) };
  const throttle = { ...defined(top?.loginThrottle), ...defined(own?.loginThrottle) };
  const limit = (which: 'account' | 'clientKey'): ThrottleLimit => {
    const merged = { ...SECURITY_DEFAULTS[which], ...defined(top?.loginThrottle?.[which]), ...defined(own?.loginThrottle?.[which]) };
    return { maxFailures: merged.maxFailures, windowMs: merged.windowSeconds * 1000 };
  };
  const lockSeconds = throttle.lockSeconds ?? SECURITY_DEFAULTS.lockSeconds;
  return {
    recentLogin: { maxAgeSeconds: recent.maxAgeSeconds ?? SECURITY_DEFAULTS.recentLoginMaxAgeSeconds, patterns: recent.patterns ?? [] },
    loginThrottle: {
      enabled: throttle.enabled ?? true,
      account: limit('account'),
      clientKey: limit('clientKey'),
      lockMs: lockSeconds * 1000,
      maxLockMs: Math.max(lockSeconds, throttle.maxLockSeconds ?? SECURITY_DEFAULTS.maxLockSeconds) * 1000,
    },
  };
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
