export interface CommercetoolsEmulatorOptions {
  projectKey?: string;
  /** The one API client the auth host accepts (Basic auth, commerce-apis.md B1). */
  clientId?: string;
  clientSecret?: string;
  /** Scopes granted when a token request names none. */
  scopes?: string[];
  /** Access-token lifetime; 172800 s (48 h) per B1 ([S]/[U]), configurable per API client. */
  accessTokenTtlSeconds?: number;
  /** Refresh tokens expire after this long unused; the default (200 days) is an assumption ([U]). */
  refreshTokenTtlSeconds?: number;
  /** Copy CustomLineItems on MergeWithExistingCustomerCart. Off per the SDL text; on per the 2017 release note (B2). */
  copyCustomLineItemsOnMerge?: boolean;
  /** Keep custom fields on anonymous line items that are copied without a match ([U] in B2). */
  copyUnmatchedLineItemCustomFields?: boolean;
  /** Unit of `exp` in /oauth/introspect; not documented in B1, RFC 7662 uses seconds. */
  introspectExpUnit?: 'seconds' | 'milliseconds';
  /** Clock in epoch ms; `advanceTime()` adds an offset on top of it. */
  now?: () => number;
}

export type ResolvedCommercetoolsOptions = Required<Omit<CommercetoolsEmulatorOptions, 'now'>>;

export function resolveCommercetoolsOptions(options: CommercetoolsEmulatorOptions): ResolvedCommercetoolsOptions {
  const projectKey = options.projectKey ?? 'test-project';
  return {
    projectKey,
    clientId: options.clientId ?? 'test-client-id',
    clientSecret: options.clientSecret ?? 'test-client-secret',
    scopes: options.scopes ?? [`manage_project:${projectKey}`],
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 172_800,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 200 * 86_400,
    copyCustomLineItemsOnMerge: options.copyCustomLineItemsOnMerge ?? false,
    copyUnmatchedLineItemCustomFields: options.copyUnmatchedLineItemCustomFields ?? true,
    introspectExpUnit: options.introspectExpUnit ?? 'seconds',
  };
}
