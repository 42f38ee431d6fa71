/** The echo servers' only message pattern (shared by the child and the bench). */
export const ECHO_PATTERN = 'bench.echo';

/** Which echo baseline a child serves (echo-server.ts). */
export type EchoMode = 'stock' | 'fixed' | 'routed';
