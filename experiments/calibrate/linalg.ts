/**
 * The little linear algebra the optimiser needs, over plain arrays: a symmetric eigendecomposition
 * (cyclic Jacobi: exact to rounding for the handful of fitted paths a calibration has) and products.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';

export type Matrix = number[][];

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function matVec(m: Matrix, v: readonly number[]): number[] {
  return m.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
}

export function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

export interface Eigen {
  /** Eigenvalues, ascending. */
  values: number[];
  /** Column j is the unit eigenvector of values[j]. */
  vectors: Matrix;
}

/** Eigenvalues and eigenvectors of a symmetric matrix. */
export function symmetricEigen(a: Matrix): Eigen {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v = identity(n);
  for (let sweep = 0; sweep < limits.jacobiSweepsMax; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        rotate(m, v, p, q);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i][i] - m[j][j] || i - j);
  return {
    values: order.map((i) => m[i][i]),
    vectors: Array.from({ length: n }, (_, r) => order.map((i) => v[r][i])),
  };
}

/** One Jacobi rotation zeroing m[p][q] (m symmetric, updated in place; v accumulates the rotations). */
function rotate(m: Matrix, v: Matrix, p: number, q: number): void {
  const n = m.length;
  const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const mkp = m[k][p];
    const mkq = m[k][q];
    m[k][p] = c * mkp - s * mkq;
    m[k][q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    const mpk = m[p][k];
    const mqk = m[q][k];
    m[p][k] = c * mpk - s * mqk;
    m[q][k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k][p];
    const vkq = v[k][q];
    v[k][p] = c * vkp - s * vkq;
    v[k][q] = s * vkp + c * vkq;
  }
  assert(Number.isFinite(m[p][p]) && Number.isFinite(m[q][q]), 'Jacobi rotation stays finite');
}

/**
 * x with A x = b, by Gaussian elimination with partial pivoting; undefined when A is singular (a pivot
 * below `tiny` times the largest entry).
 */
export function solve(a: Matrix, b: readonly number[], tiny = 1e-12): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  const scale = Math.max(1e-300, ...a.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) <= tiny * scale) return undefined;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}
