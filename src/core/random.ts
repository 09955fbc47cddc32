/**
 * Seeded randomness for weight sampling (`kam robust`): a PRNG the shell creates from
 * `--seed` and passes in, so the same seed gives the same samples, the same bytes, on every
 * machine. Pure: no Math.random, no clock.
 */

/** A source of uniform numbers in [0, 1) with 53 random bits. */
export type Rng = () => number;

/**
 * xoshiro128** (Blackman & Vigna 2018), seeded through splitmix32 so that any 32-bit seed,
 * 0 included, gives a good state. 32-bit integer arithmetic only (Math.imul), so the stream
 * is identical on every JavaScript engine.
 */
export function seededRng(seed: number): Rng {
  let x = seed >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

function rotl(v: number, k: number): number {
  return ((v << k) | (v >>> (32 - k))) >>> 0;
}

/** A standard normal deviate (Marsaglia's polar method). */
function sampleNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng() - 1;
    const v = 2 * rng() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * A Gamma(alpha, 1) deviate, alpha > 0: Marsaglia & Tsang (2000) for alpha >= 1; for
 * alpha < 1, Gamma(alpha + 1) * U^(1/alpha). 0 for alpha <= 0 (a criterion the weights leave out).
 */
export function sampleGamma(rng: Rng, alpha: number): number {
  if (!(alpha > 0)) return 0;
  if (alpha < 1) {
    const u = 1 - rng(); // (0, 1]
    return sampleGamma(rng, alpha + 1) * Math.pow(u, 1 / alpha);
  }
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * `count` samples of Dirichlet(alpha), row after row (count x alpha.length). A component
 * with alpha 0 is always 0; each row sums to 1 (up to rounding).
 */
export function sampleDirichlet(rng: Rng, alpha: readonly number[], count: number): Float64Array {
  const k = alpha.length;
  if (!alpha.some((a) => a > 0)) throw new RangeError('sampleDirichlet: at least one alpha must be positive');
  const out = new Float64Array(count * k);
  for (let s = 0; s < count; s++) {
    let sum: number;
    for (;;) {
      sum = 0;
      for (let j = 0; j < k; j++) {
        const g = sampleGamma(rng, alpha[j]!);
        out[s * k + j] = g;
        sum += g;
      }
      if (sum > 0) break; // all-zero draws (only from tiny alphas underflowing) are redrawn
    }
    for (let j = 0; j < k; j++) out[s * k + j] = out[s * k + j]! / sum;
  }
  return out;
}
