/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  host?: string;
  port?: string;
  token?: string;
  timeout?: string;
  json?: boolean;
  verbose?: boolean;
}
