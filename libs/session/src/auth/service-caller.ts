/** The calling service, as its verified token describes it. */
export interface ServiceCaller {
  subject: string;
  scopes: ReadonlySet<string>;
}
