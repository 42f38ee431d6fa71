/** Scopes carried in the service token's space-separated `scope` claim. */
export const Scopes = {
  read: 'session:read',
  write: 'session:write',
  admin: 'session:admin',
  /** Needed to receive a commerce-provider token; tokens never leave otherwise. */
  tokens: 'session:tokens',
} as const;

export type Scope = (typeof Scopes)[keyof typeof Scopes];

/** Audience every service token must carry. */
export const SERVICE_TOKEN_AUDIENCE = 'session-service';
