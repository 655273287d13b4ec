import { IsInt, Min } from 'class-validator';
import { validShapeAgreement } from './valid-shape-agreement';

class Bid {
  @IsInt()
  @Min(1)
  amount!: number;
}

const bodies = [{ amount: 1 }, { amount: 0 }, { amount: 1.5 }, { amount: 1, extra: true }, {}];

describe('validShapeAgreement', () => {
  it('finds no disagreement for a check as strict as the decorators', async () => {
    const exact = (body: Record<string, unknown>) =>
      Object.keys(body).length === 1 &&
      Number.isInteger(body['amount']) &&
      (body['amount'] as number) >= 1;
    expect(await validShapeAgreement(Bid, exact, bodies)).toEqual({
      accepted: 1,
      refusedByBoth: 4,
      disagreements: [],
    });
  });

  it('names every body a looser check accepts and the decorators refuse', async () => {
    const loose = (body: Record<string, unknown>) => typeof body['amount'] === 'number';
    const agreement = await validShapeAgreement(Bid, loose, bodies);
    expect(agreement.disagreements).toEqual([
      { amount: 0 },
      { amount: 1.5 },
      { amount: 1, extra: true },
    ]);
  });
});
