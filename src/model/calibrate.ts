import { chooseThreshold } from './metrics';

/**
 * Platt scaling: p = sigmoid(a * logit + b), fitted by Newton's method on held-out logits with
 * Platt's smoothed targets (which keep a and b finite on separable data).
 */
export interface Platt {
  a: number;
  b: number;
}

export const IDENTITY: Platt = { a: 1, b: 0 };

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * The same calibration for a population whose positive share is `to` instead of `from` (the held-out
 * rows'): a prior shift, which adds the change in log prior odds (Saerens, Latinne & Decaestecker
 * 2002). Only the offset moves, so the order of scores, and ROC-AUC, stay as they were.
 */
export function shiftPrior(c: Platt, from: number, to: number): Platt {
  return { a: c.a, b: c.b + logit(to) - logit(from) };
}

export function applyPlatt(c: Platt, z: number): number {
  return sigmoid(c.a * z + c.b);
}

/** Mean log loss of sigmoid(a z + b) against the smoothed targets. */
function plattLoss(a: number, b: number, z: ArrayLike<number>, t: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < z.length; i++) {
    const f = a * z[i] + b;
    // log(1 + e^f) - t f, computed without overflow
    loss += (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - t[i] * f;
  }
  return loss / z.length;
}

/**
 * Newton's method with a backtracking line search (Lin, Lin & Weng 2007), so that it converges on
 * separable or badly scaled logits too. Falls back to the identity when the fit would not keep
 * the order of the scores (a <= 0) or is not finite.
 */
export function fitPlatt(logits: ArrayLike<number>, y: ArrayLike<number>): Platt {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return IDENTITY;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = Float64Array.from({ length: y.length }, (_, i) => (y[i] === 1 ? hi : lo));
  let a = 1;
  let b = 0;
  let loss = plattLoss(a, b, logits, t);
  for (let iter = 0; iter < 100; iter++) {
    let g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h12 = 0;
    for (let i = 0; i < y.length; i++) {
      const p = sigmoid(a * logits[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      g1 += d * logits[i];
      g2 += d;
      h11 += w * logits[i] * logits[i];
      h22 += w;
      h12 += w * logits[i];
    }
    const n = y.length;
    if (Math.abs(g1 / n) < 1e-9 && Math.abs(g2 / n) < 1e-9) break;
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 1e-300)) break;
    const da = -(h22 * g1 - h12 * g2) / det;
    const db = -(h11 * g2 - h12 * g1) / det;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const next = plattLoss(a + step * da, b + step * db, logits, t);
      if (next <= loss + 1e-4 * step * ((g1 / n) * da + (g2 / n) * db)) {
        a += step * da;
        b += step * db;
        loss = next;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? { a, b } : IDENTITY;
}

/**
 * One label's read-out from its held-out logits `z` and labels `y`: Platt calibration, shifted to
 * `prevalence` when given (see `shiftPrior`), and the threshold `chooseThreshold` picks with each
 * held-out negative weighted so that positives make up that share. `prevalence` in the result is
 * the share applied: none when none was asked for or the rows hold one class only.
 */
export function calibrateLabel(y: ArrayLike<number>, z: ArrayLike<number>, prevalence?: number, targetPrecision?: number): { calibration: Platt; threshold: number; prevalence?: number } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  const neg = y.length - pos;
  const shift = prevalence !== undefined && pos > 0 && neg > 0;
  const fitted = fitPlatt(z, y);
  const calibration = shift ? shiftPrior(fitted, pos / y.length, prevalence) : fitted;
  const negativeWeight = shift ? (pos * (1 - prevalence)) / (prevalence * neg) : 1;
  const p = Array.from(z, (v) => applyPlatt(calibration, v));
  return { calibration, threshold: chooseThreshold(y, p, targetPrecision, negativeWeight), ...(shift ? { prevalence } : {}) };
}
