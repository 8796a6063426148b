import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BtlError } from '../errors';
import { isLabelName } from '../labels';
import { inputsOf, WordVectors, type FeaturizerConfig } from '../text';
import { FORMAT_VERSION, Model, type Manifest } from './model';

/** The model shipped with btl, used when no --model is given. */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'default');

function defaultDir(): string {
  // dist/src/model -> repo root is three levels up; from src/model (ts-jest/swc) it is two
  const candidates = [DEFAULT_MODEL_DIR, path.resolve(__dirname, '..', '..', 'models', 'default')];
  return candidates.find((d) => require('node:fs').existsSync(path.join(d, 'manifest.json'))) ?? DEFAULT_MODEL_DIR;
}

export function resolveModelDir(dir?: string): string {
  return dir ? path.resolve(dir) : defaultDir();
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The word vectors' file in a model folder (see `WordVectors`). */
export const VECTORS_FILE = 'vectors.bin';
/** Files a model folder's writer owns; any other file in the folder (a model card) is kept as it is. */
const OWN_FILES = ['weights.bin', 'manifest.json', VECTORS_FILE];

function encodeWeights(model: Model): Buffer {
  const { W, b } = model.weights;
  const idf = model.featurizer.idf ?? new Float32Array(model.manifest.featurizer.buckets).fill(1);
  const buf = Buffer.alloc((W.length + b.length + idf.length) * 4);
  let o = 0;
  for (const arr of [W, b, idf]) for (let i = 0; i < arr.length; i++, o += 4) buf.writeFloatLE(arr[i], o);
  return buf;
}

/**
 * Write a model folder atomically: everything goes to a sibling temporary folder which then takes
 * the target's place, so a crash mid-write leaves the old model as it was.
 */
export async function saveModel(dir: string, model: Model): Promise<Manifest> {
  const target = path.resolve(dir);
  const weights = encodeWeights(model);
  const vectors = model.featurizer.vectors?.encode();
  const manifest: Manifest = { ...model.manifest, weights: { file: 'weights.bin', bytes: weights.length, sha256: sha256(weights) } };
  if (vectors && manifest.featurizer.vectors?.sha256 !== sha256(vectors)) throw new BtlError('E_MODEL', 'the word vectors do not match the sha256 in the featuriser settings', { file: target });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp);
  try {
    await fs.writeFile(path.join(tmp, 'weights.bin'), weights);
    if (vectors) await fs.writeFile(path.join(tmp, VECTORS_FILE), vectors);
    await fs.writeFile(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    // keep files that are not ours (a model card README.md, for instance)
    for (const extra of await fs.readdir(target).catch(() => [] as string[])) {
      if (!OWN_FILES.includes(extra)) await fs.copyFile(path.join(target, extra), path.join(tmp, extra));
    }
    const old = `${target}.old-${process.pid}-${Date.now()}`;
    const hadOld = await fs.rename(target, old).then(() => true, () => false);
    await fs.rename(tmp, target);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw new BtlError('E_MODEL', `cannot write model: ${(err as Error).message}`, { file: target }, { cause: err });
  }
  return manifest;
}

/** Read a model folder; every problem names the file and says what is wrong. */
export async function readModel(dir?: string): Promise<Model> {
  const root = resolveModelDir(dir);
  const mpath = path.join(root, 'manifest.json');
  let raw: string;
  try {
    raw = await fs.readFile(mpath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no manifest.json: not a btl model folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new BtlError('E_MODEL', `cannot read model: ${why}`, { file: code === 'ENOENT' ? root : mpath });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(raw) as Manifest;
  } catch (err) {
    throw new BtlError('E_MODEL', `manifest is not valid JSON: ${(err as Error).message}`, { file: mpath });
  }
  if (manifest.format !== 'btl-model') throw new BtlError('E_MODEL', 'not a btl model manifest (format is not "btl-model")', { file: mpath });
  if (manifest.formatVersion > FORMAT_VERSION) {
    throw new BtlError('E_MODEL', `model format ${manifest.formatVersion} is newer than this btl reads (${FORMAT_VERSION}); upgrade btl`, { file: mpath });
  }
  const bad = manifest.labels?.filter((l) => !isLabelName(l)) ?? ['(none)'];
  if (!manifest.labels?.length || bad.length) throw new BtlError('E_MODEL', `unknown labels: ${bad.join(', ')}`, { file: mpath });
  const L = manifest.labels.length;
  const buckets = manifest.featurizer?.buckets;
  if (!Number.isInteger(Math.log2(buckets)) || buckets < 1) throw new BtlError('E_MODEL', `featurizer.buckets must be a power of two, got ${JSON.stringify(buckets)}`, { file: mpath });
  for (const l of manifest.labels) {
    const c = manifest.calibration?.[l];
    if (!c || !Number.isFinite(c.a) || !Number.isFinite(c.b)) throw new BtlError('E_MODEL', `no calibration for label "${l}"`, { file: mpath });
    if (!Number.isFinite(manifest.thresholds?.[l])) throw new BtlError('E_MODEL', `no threshold for label "${l}"`, { file: mpath });
  }
  if (!manifest.weights?.file) throw new BtlError('E_MODEL', 'no "weights" entry naming the weights file', { file: mpath });
  const wpath = path.join(root, manifest.weights?.file ?? 'weights.bin');
  const buf = await fs.readFile(wpath).catch((err: Error) => {
    throw new BtlError('E_MODEL', `cannot read weights: ${err.message}`, { file: wpath });
  });
  const v = manifest.featurizer.vectors;
  if (v && !(Number.isInteger(v.words) && Number.isInteger(v.dims) && v.dims > 0 && Number.isFinite(v.weight) && v.weight > 0 && typeof v.sha256 === 'string')) {
    throw new BtlError('E_MODEL', 'featurizer.vectors needs words, dims, a weight above 0 and a sha256', { file: mpath });
  }
  const vectors = v ? await readVectors(path.join(root, VECTORS_FILE), v) : null;
  const inputs = inputsOf(manifest.featurizer);
  const expected = (inputs * L + L + buckets) * 4;
  if (buf.length !== expected) throw new BtlError('E_MODEL', `weights file has ${buf.length} bytes, the manifest implies ${expected}`, { file: wpath });
  if (manifest.weights.sha256 && sha256(buf) !== manifest.weights.sha256) throw new BtlError('E_MODEL', 'weights do not match the sha256 in manifest.json (corrupt or partly written)', { file: wpath });
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const W = floats.slice(0, inputs * L);
  const b = floats.slice(inputs * L, inputs * L + L);
  const idf = floats.slice(inputs * L + L);
  return new Model(manifest, { W, b, labels: L }, idf, vectors);
}

/**
 * Word vectors from a `vectors.bin` file, or from the one in a model folder; `want` (a manifest's
 * featuriser settings) checks them against its sha256 and sizes.
 */
export async function readVectors(file: string, want?: NonNullable<FeaturizerConfig['vectors']>): Promise<WordVectors> {
  const stat = await fs.stat(file).catch(() => null);
  const folder = stat?.isDirectory() ?? false;
  const vpath = folder ? path.join(file, VECTORS_FILE) : file;
  // a model folder's vectors are checked against its manifest when it has one
  if (folder && !want) {
    const manifest = await fs.readFile(path.join(file, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as Partial<Manifest>, () => null);
    want = manifest?.featurizer?.vectors ?? undefined;
  }
  const buf = await fs.readFile(vpath).catch((err: Error) => {
    throw new BtlError('E_MODEL', `cannot read word vectors: ${err.message}`, { file: vpath });
  });
  if (want && sha256(buf) !== want.sha256) throw new BtlError('E_MODEL', 'word vectors do not match the sha256 in manifest.json (corrupt or partly written)', { file: vpath });
  let vectors: WordVectors;
  try {
    vectors = WordVectors.decode(buf);
  } catch (err) {
    throw new BtlError('E_MODEL', (err as Error).message, { file: vpath });
  }
  if (want && (vectors.size !== want.words || vectors.dims !== want.dims)) {
    throw new BtlError('E_MODEL', `word vectors have ${vectors.size} words of ${vectors.dims} dimensions; the manifest says ${want.words} of ${want.dims}`, { file: vpath });
  }
  return vectors;
}
