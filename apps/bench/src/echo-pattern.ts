/** The echo server's only message pattern (shared by the child and the bench). */
export const ECHO_PATTERN = 'bench.echo';
