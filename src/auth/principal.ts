/** The authenticated caller of a management request: a worker application of one environment. */
export interface Principal {
  clientId: string;
  clientName: string;
  environmentId: string;
}
