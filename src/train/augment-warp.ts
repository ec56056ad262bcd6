/**
 * One affine warp with bilinear sampling for shift, rotation, zoom and mirroring together:
 * each output pixel reads the source at an affine map of its own position; outside reads 0.
 */

/** Output pixel (u = column, v = row) reads the source at (a·u + b·v + e, c·u + d·v + f). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** What one image's warp does, about the image's centre (rows grow downwards). */
export interface Geometry {
  /** Pixels right and down. */
  dx: number;
  dy: number;
  /** Degrees; positive turns clockwise on screen. */
  degrees: number;
  /** Scale factor (> 1 enlarges). */
  scale: number;
  /** Mirror left–right (before the turn). */
  flip: boolean;
}

/** The inverse map of `g` (output → source) for an image `width` × `height`. */
export function affineOf(g: Geometry, width: number, height: number): Affine {
  const theta = (g.degrees * Math.PI) / 180;
  const cos = Math.cos(theta) / g.scale;
  const sin = Math.sin(theta) / g.scale;
  const m = g.flip ? -1 : 1;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const qx = -cx - g.dx;
  const qy = -cy - g.dy;
  return { a: m * cos, b: m * sin, e: cx + m * (cos * qx + sin * qy), c: -sin, d: cos, f: cy - sin * qx + cos * qy };
}

/** Whether `g` leaves every pixel where it is. */
export function isIdentity(g: Geometry): boolean {
  return g.dx === 0 && g.dy === 0 && g.degrees === 0 && g.scale === 1 && !g.flip;
}

/**
 * Writes `src` warped by `t` into `dst` (both height × width × channels, distinct buffers).
 * Bilinear: each output value is the weighted mean of the four nearest source pixels, those
 * outside the image counting as 0.
 */
export function warp(src: Float32Array, dst: Float32Array, width: number, height: number, channels: number, t: Affine): void {
  const rowStride = width * channels;
  for (let v = 0; v < height; v++) {
    let sx = t.b * v + t.e;
    let sy = t.d * v + t.f;
    let o = v * rowStride;
    for (let u = 0; u < width; u++, sx += t.a, sy += t.c, o += channels) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      if (x0 >= 0 && y0 >= 0 && x0 < width - 1 && y0 < height - 1) {
        // All four taps inside (the common case): no bounds checks.
        const p = (y0 * width + x0) * channels;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        for (let k = 0; k < channels; k++) {
          const q = p + k;
          dst[o + k] = w00 * src[q]! + w01 * src[q + channels]! + w10 * src[q + rowStride]! + w11 * src[q + rowStride + channels]!;
        }
        continue;
      }
      for (let k = 0; k < channels; k++) dst[o + k] = 0;
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
      for (let j = 0; j < 2; j++) {
        const y = y0 + j;
        if (y < 0 || y >= height) continue;
        const wy = j === 0 ? 1 - fy : fy;
        for (let i = 0; i < 2; i++) {
          const x = x0 + i;
          if (x < 0 || x >= width) continue;
          const w = wy * (i === 0 ? 1 - fx : fx);
          const p = (y * width + x) * channels;
          for (let k = 0; k < channels; k++) dst[o + k]! += w * src[p + k]!;
        }
      }
    }
  }
}
