/** The `events` block of the service config (docs/configuration.md). */
export interface SessionEventSettings {
  /** Off: no event is written (the changes cost what they did before). */
  enabled: boolean;
  /** Each shop's stream is trimmed to about this many entries (XADD MAXLEN ~). */
  maxLength: number;
  /** Entries older than this are trimmed too (XTRIM MINID ~); 0: no age cap. */
  maxAgeMs: number;
}

export const DEFAULT_EVENT_SETTINGS: SessionEventSettings = { enabled: true, maxLength: 1_000_000, maxAgeMs: 0 };
