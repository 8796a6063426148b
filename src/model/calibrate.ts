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

export function applyPlatt(c: Platt, logit: number): number {
  return sigmoid(c.a * logit + c.b);
}

export function fitPlatt(logits: ArrayLike<number>, y: ArrayLike<number>): Platt {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return IDENTITY;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g1 = 0, g2 = 0, h11 = 1e-9, h22 = 1e-9, h12 = 0;
    for (let i = 0; i < y.length; i++) {
      const t = y[i] === 1 ? hi : lo;
      const p = sigmoid(a * logits[i] + b);
      const d = p - t;
      const w = p * (1 - p);
      g1 += d * logits[i];
      g2 += d;
      h11 += w * logits[i] * logits[i];
      h22 += w;
      h12 += w * logits[i];
    }
    const det = h11 * h22 - h12 * h12;
    if (Math.abs(det) < 1e-12) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}
