/** One server-sent event, as SseParser reads them. `event` is `message` when the stream named none. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}
