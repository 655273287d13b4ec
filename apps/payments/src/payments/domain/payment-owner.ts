// Who may act on a payment: only the idempotency scope that created it. An HTTP caller's
// scope is `user:<sub>` of the verified token; the checkout saga's captures live in the
// saga's scope, which no token can name. Everyone else is told the payment does not exist
// (404, the same answer as for an unknown id), so probing ids reveals nothing.
export function isOwnedBy(payment: { idempotencyScope: string }, scope: string): boolean {
  return payment.idempotencyScope === scope;
}
