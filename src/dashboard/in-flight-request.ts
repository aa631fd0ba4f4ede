/** A request the gateway is still answering, as the live feed lists it. */
export interface InFlightRequest {
  requestId: string;
  method: string;
  route: string;
  /** The model name the body asked for, once the body was read. */
  requestedModel?: string;
  /** Epoch ms when it arrived. */
  startedAt: number;
}
