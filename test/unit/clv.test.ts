import { describe, expect, it } from 'vitest';
import jstat from 'jstat';
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  hypergeometric2F1,
  nelderMead,
  predict,
  probabilityAlive,
  type PurchaseHistory,
} from '../../functions/core/analytics/clv.js';
import { seeded } from '../../demo/syntheticShop.js';

type Sampler = {
  setRandom(f: () => number): void;
  gamma: { sample(shape: number, scale: number): number };
  beta: { sample(a: number, b: number): number };
};
const j = (jstat as unknown as { jStat: Sampler }).jStat;

/** Customers drawn from the BG/NBD and Gamma-Gamma models themselves, with known parameters. */
function simulate(
  n: number,
  T: number,
  purchases: { r: number; alpha: number; a: number; b: number },
  spend: { p: number; q: number; gamma: number },
): PurchaseHistory[] {
  const random = seeded(42);
  j.setRandom(random);
  const exp = (rate: number) => -Math.log(1 - random()) / rate;
  return Array.from({ length: n }, () => {
    const lambda = j.gamma.sample(purchases.r, 1 / purchases.alpha);
    const p = j.beta.sample(purchases.a, purchases.b);
    const nu = j.gamma.sample(spend.q, 1 / spend.gamma);
    let t = 0;
    let x = 0;
    let tx = 0;
    let total = 0;
    for (;;) {
      t += exp(lambda);
      if (t > T) break;
      x++;
      tx = t;
      total += j.gamma.sample(spend.p, 1 / nu);
      if (random() < p) break; // dropped out after this purchase
    }
    return { x, tx, T, ...(x > 0 ? { meanSpend: total / x } : {}) };
  });
}

describe('Nelder–Mead and the special functions', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const { x } = nelderMead((v) => (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2, [-1.2, 1], {
      iterations: 5000,
      tolerance: 1e-14,
    });
    expect(x[0]).toBeCloseTo(1, 3);
    expect(x[1]).toBeCloseTo(1, 3);
  });

  it('₂F₁ matches closed forms: ₂F₁(1,1;2;z) = −ln(1−z)/z', () => {
    expect(hypergeometric2F1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 10);
  });
});

describe('BG/NBD and Gamma-Gamma', () => {
  // The CDNOW estimates of the papers: r 0.243, α 4.414, a 0.793, b 2.426; p 6.25, q 3.74, γ 15.44.
  const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const spendTruth = { p: 6.25, q: 3.74, gamma: 15.44 };

  it('recovers known parameters from customers simulated from the models', () => {
    const data = simulate(6000, 52, truth, spendTruth);
    const fitted = fitBgNbd(data);
    expect(fitted.r / truth.r).toBeGreaterThan(0.8);
    expect(fitted.r / truth.r).toBeLessThan(1.25);
    expect(fitted.alpha / truth.alpha).toBeGreaterThan(0.7);
    expect(fitted.alpha / truth.alpha).toBeLessThan(1.4);
    expect(fitted.a / truth.a).toBeGreaterThan(0.6);
    expect(fitted.a / truth.a).toBeLessThan(1.6);
    expect(fitted.b / truth.b).toBeGreaterThan(0.6);
    expect(fitted.b / truth.b).toBeLessThan(1.6);
    // The fit is at least as likely as the truth on its own data.
    const ll = (p: typeof truth) => data.reduce((s, h) => s + bgNbdLogLikelihood(p, h), 0);
    expect(ll(fitted)).toBeGreaterThanOrEqual(ll(truth));
    const spend = fitGammaGamma(data);
    // p and q are weakly identified separately; the mean spend they imply, p·γ/(q−1), is what CLV uses.
    const mean = (s: typeof spendTruth) => (s.p * s.gamma) / (s.q - 1);
    expect(mean(spend) / mean(spendTruth)).toBeGreaterThan(0.85);
    expect(mean(spend) / mean(spendTruth)).toBeLessThan(1.15);
  }, 60_000);

  it('predicts what the model says: a recent repeat buyer is alive and buys; one long silent is probably gone', () => {
    const recent = { x: 6, tx: 50, T: 52 };
    const silent = { x: 6, tx: 8, T: 52 };
    // By hand: 1 / (1 + 0.793/7.426 · (56.414/54.414)^6.243) = 0.882; with tx = 8: 0.00073.
    expect(probabilityAlive(truth, recent)).toBeCloseTo(0.882, 3);
    expect(probabilityAlive(truth, silent)).toBeCloseTo(0.00073, 4);
    expect(expectedPurchases(truth, recent, 52)).toBeGreaterThan(expectedPurchases(truth, silent, 52) * 5);
    expect(probabilityAlive(truth, { x: 0, tx: 0, T: 52 })).toBe(1);
    const models = { purchases: truth, spend: spendTruth, populationMeanSpend: 35 };
    const p = predict(models, { ...recent, meanSpend: 40 }, 52);
    expect(p.clv).toBeCloseTo(p.expectedPurchases * ((6.25 * (15.44 + 6 * 40)) / (6.25 * 6 + 3.74 - 1)), 6);
    expect(p.nextOrderInWeeks).toBeCloseTo(52 / p.expectedPurchases, 6);
  });
});
