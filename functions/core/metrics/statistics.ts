// The statistics behind A/B reports: Wilson intervals, the two-proportion z-test, unpooled uplift intervals,
// Welch's t-test on revenue per recipient, the sample size for a minimum detectable effect, and the
// always-valid mSPRT p-value. Distributions come from jStat; the formulas are written out and cited.

import jstat from 'jstat';

const { jStat } = jstat;

const z = (p: number) => jStat.normal.inv(p, 0, 1);
const normalCdf = (x: number) => jStat.normal.cdf(x, 0, 1);

export type Interval = { low: number; high: number };

/** Wilson score interval for x successes in n (Wilson 1927), 95 % by default; no continuity correction. */
export function wilsonInterval(x: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const q = z(1 - (1 - confidence) / 2);
  const p = x / n;
  const denominator = 1 + (q * q) / n;
  const center = (p + (q * q) / (2 * n)) / denominator;
  const half = (q * Math.sqrt((p * (1 - p)) / n + (q * q) / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Pooled two-proportion z-test without continuity correction: z and the two-sided p-value. */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; p: number } {
  if (n1 === 0 || n2 === 0) return { z: 0, p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const statistic = (x1 / n1 - x2 / n2) / se;
  return { z: statistic, p: 2 * (1 - normalCdf(Math.abs(statistic))) };
}

/** Difference of two proportions (variant − reference) with the unpooled normal-approximation interval. */
export function uplift(x1: number, n1: number, x2: number, n2: number, confidence = 0.95) {
  const p1 = n1 ? x1 / n1 : 0;
  const p2 = n2 ? x2 / n2 : 0;
  const se = Math.sqrt((n1 ? (p1 * (1 - p1)) / n1 : 0) + (n2 ? (p2 * (1 - p2)) / n2 : 0));
  const q = z(1 - (1 - confidence) / 2);
  const absolute = { estimate: p1 - p2, low: p1 - p2 - q * se, high: p1 - p2 + q * se };
  // Relative to the reference rate: the absolute interval scaled by it (the reference taken as known).
  const relative =
    p2 > 0 ? { estimate: absolute.estimate / p2, low: absolute.low / p2, high: absolute.high / p2 } : undefined;
  return { absolute, relative, standardError: se };
}

/** Summary statistics of a per-recipient amount from its sum and sum of squares (counters hold nothing else). */
export function moments(n: number, sum: number, sumOfSquares: number): { mean: number; variance: number } {
  if (n < 2) return { mean: n ? sum / n : 0, variance: 0 };
  return { mean: sum / n, variance: Math.max(0, (sumOfSquares - (sum * sum) / n) / (n - 1)) };
}

/** Welch's unequal-variances t-test (Welch 1947, Satterthwaite degrees of freedom): t, df and two-sided p. */
export function welchTTest(
  a: { n: number; mean: number; variance: number },
  b: { n: number; mean: number; variance: number },
): { t: number; df: number; p: number } {
  const va = a.n ? a.variance / a.n : 0;
  const vb = b.n ? b.variance / b.n : 0;
  const se = Math.sqrt(va + vb);
  if (se === 0 || a.n < 2 || b.n < 2) return { t: 0, df: 0, p: 1 };
  const t = (a.mean - b.mean) / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { t, df, p: twoSidedT(t, df) };
}

export function twoSidedT(t: number, df: number): number {
  return 2 * (1 - jStat.studentt.cdf(Math.abs(t), df));
}

/**
 * Recipients each arm needs to detect a change from `baseline` to `baseline + effect` (absolute) with a
 * two-sided test at `alpha` and the given power (Fleiss' formula for two proportions).
 */
export function sampleSizePerArm(baseline: number, effect: number, alpha = 0.05, power = 0.8): number {
  const p1 = baseline;
  const p2 = Math.min(1, Math.max(0, baseline + effect));
  if (effect === 0) return Infinity;
  const mean = (p1 + p2) / 2;
  const a = z(1 - alpha / 2) * Math.sqrt(2 * mean * (1 - mean));
  const b = z(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil(((a + b) * (a + b)) / (effect * effect));
}

/**
 * The always-valid p-value of the mixture sequential probability ratio test (Johari, Pekelis and Walsh,
 * "Always valid inference", 2017) for a difference of proportions with a normal mixture of variance τ²:
 * Λ = √(V/(V+τ²))·exp(τ²·θ̂² / (2V(V+τ²))), p = min(1, 1/Λ). A marketer may look every day without
 * inflating false positives. From counters the current p is known, not its running minimum, so this is
 * conservative (the running minimum can only be lower).
 */
export function msprtPValue(x1: number, n1: number, x2: number, n2: number, tau2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const v = (p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2;
  if (v === 0) return 1;
  const theta = p1 - p2;
  const lambda = Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * theta * theta) / (2 * v * (v + tau2)));
  return Math.min(1, 1 / lambda);
}
