export { train, TRAIN_DEFAULTS, RETRAIN_DEFAULTS, type TrainOptions, type TrainResult } from './train';
export { readLabelled, type LabelledRow, type LabelledData, type DataOptions } from './data';
export { evaluate, labelledFor, metricsOrNull, MIN_ROWS_PER_CLASS, scoreRows, shortThreshold, sweepThresholds, SWEEP_GRID, type Evaluation, type LabelScores, type ThresholdSweep } from './evaluate';
export { Model, FORMAT_VERSION, type Manifest, type SourceRecord, type TrainingRecord } from './model';
export { readModel, saveModel, resolveModelDir, DEFAULT_MODEL_DIR } from './store';
export { rocAuc, prAuc, atThreshold, countsAt, chooseThreshold, type BinaryMetrics, type Counts } from './metrics';
export { fitPlatt, applyPlatt, shiftPrior, calibrateLabel, type Platt } from './calibrate';
export { loadTf } from './backend';
export type { EpochReport } from './train-loop';
