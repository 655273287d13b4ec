// An event on sale, as clients see it.
export interface EventSummary {
  id: string;
  venueId: string;
  name: string;
  startsAt: string;
  priceMinor: number;
  currency: string;
}
