// Predicted customer lifetime value: the BG/NBD purchase model (Fader, Hardie & Lee 2005) and the
// Gamma-Gamma spend model (Fader & Hardie 2013), fitted by maximum likelihood. Time is in weeks.

import jstat from 'jstat';

const { jStat } = jstat as unknown as { jStat: { gammaln(x: number): number; betaln(a: number, b: number): number } };

/** One customer's history: repeat purchases x, the time of the last one t_x and the age T (since the first). */
export type PurchaseHistory = { x: number; tx: number; T: number; meanSpend?: number };
export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
export type GammaGammaParams = { p: number; q: number; gamma: number };

/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965) with the standard coefficients. No maintained
 * JavaScript optimiser loads cleanly here (the usual `fmin` package ships a broken ES module), and the
 * method is short enough to read.
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  options: { iterations?: number; tolerance?: number } = {},
): { x: number[]; value: number } {
  const n = start.length;
  let simplex = [
    start,
    ...start.map((_, i) => start.map((v, j) => (i === j ? v + (v === 0 ? 0.25 : 0.25 * Math.abs(v) + 0.1) : v))),
  ].map((x) => ({ x, value: f(x) }));
  for (let iteration = 0; iteration < (options.iterations ?? 2000); iteration++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.value - best.value) < (options.tolerance ?? 1e-9)) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const reflected = { x: along(-1), value: 0 };
    reflected.value = f(reflected.x);
    if (reflected.value < best.value) {
      const expanded = { x: along(-2), value: 0 };
      expanded.value = f(expanded.x);
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[n - 1].value) {
      simplex[n] = reflected;
    } else {
      const contracted = { x: along(reflected.value < worst.value ? -0.5 : 0.5), value: 0 };
      contracted.value = f(contracted.x);
      if (contracted.value < Math.min(worst.value, reflected.value)) simplex[n] = contracted;
      else
        simplex = simplex.map((p, i) =>
          i === 0
            ? p
            : {
                x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])),
                value: f(p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]))),
              },
        );
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return { x: simplex[0].x, value: simplex[0].value };
}

const logSumExp = (a: number, b: number) => (a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));

/** The BG/NBD log-likelihood of one customer (Fader, Hardie & Lee 2005, eq. 6). */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory): number {
  const common =
    jStat.gammaln(r + x) - jStat.gammaln(r) + r * Math.log(alpha) + jStat.betaln(a, b + x) - jStat.betaln(a, b);
  const stillAlive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + stillAlive;
  const droppedOut = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return common + logSumExp(stillAlive, droppedOut);
}

export function fitBgNbd(histories: PurchaseHistory[]): BgNbdParams {
  // Fitted on log-parameters, so every step stays positive.
  const negative = (v: number[]) => {
    const p = { r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) };
    let sum = 0;
    for (const h of histories) sum += bgNbdLogLikelihood(p, h);
    return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
  };
  const { x } = nelderMead(negative, [0, 0, 0, 0], { iterations: 4000 });
  return { r: Math.exp(x[0]), alpha: Math.exp(x[1]), a: Math.exp(x[2]), b: Math.exp(x[3]) };
}

/** P(alive) given the history (eq. 12). */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

/** Gauss' hypergeometric ₂F₁(a, b; c; z) by its series (|z| < 1 here). */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
  }
  return sum;
}

/** Expected purchases in the next `t` weeks given the history (eq. 10). */
export function expectedPurchases({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory, t: number): number {
  const z = t / (alpha + T + t);
  const numerator =
    ((a + b + x - 1) / (a - 1)) *
    (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hypergeometric2F1(r + x, b + x, a + b + x - 1, z));
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
  return numerator / denominator;
}

/** The Gamma-Gamma log-likelihood of a customer's mean spend over x purchases (Fader & Hardie 2013). */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, x: number, mean: number): number {
  return (
    jStat.gammaln(p * x + q) -
    jStat.gammaln(p * x) -
    jStat.gammaln(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(mean) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + x * mean)
  );
}

export function fitGammaGamma(histories: PurchaseHistory[]): GammaGammaParams {
  const buyers = histories.filter((h) => h.x > 0 && (h.meanSpend ?? 0) > 0);
  const negative = (v: number[]) => {
    const params = { p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) };
    let sum = 0;
    for (const h of buyers) sum += gammaGammaLogLikelihood(params, h.x, h.meanSpend!);
    return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
  };
  const scale = buyers.reduce((s, h) => s + h.meanSpend!, 0) / Math.max(1, buyers.length);
  const { x } = nelderMead(negative, [0, Math.log(2), Math.log(scale)], { iterations: 4000 });
  return { p: Math.exp(x[0]), q: Math.exp(x[1]), gamma: Math.exp(x[2]) };
}

/** The expected spend per future purchase given the observed mean (Fader & Hardie 2013, eq. 5). */
export function expectedSpend({ p, q, gamma }: GammaGammaParams, x: number, mean: number): number {
  return (p * (gamma + x * mean)) / (p * x + q - 1);
}

export type Prediction = { clv: number; pAlive: number; expectedPurchases: number; nextOrderInWeeks: number | null };

/** CLV over `weeks` (undiscounted): expected purchases × expected spend per purchase. */
export function predict(
  models: { purchases: BgNbdParams; spend: GammaGammaParams; populationMeanSpend: number },
  h: PurchaseHistory,
  weeks: number,
): Prediction {
  const purchases = expectedPurchases(models.purchases, h, weeks);
  const spend = h.x > 0 && h.meanSpend ? expectedSpend(models.spend, h.x, h.meanSpend) : models.populationMeanSpend;
  const pAlive = probabilityAlive(models.purchases, h);
  return {
    clv: purchases * spend,
    pAlive,
    expectedPurchases: purchases,
    nextOrderInWeeks: purchases > 0.05 ? weeks / purchases : null,
  };
}
