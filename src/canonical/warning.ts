/** What a provider could not honour and dropped (declared, not refused). */
export interface DegradedField {
  /** The client's wire name, e.g. `top_k`. */
  field: string;
  reason: string;
}
