// Data shapes the chart components take; plain data, so views build them with no chart logic.

export interface BarSeries {
  name: string;
  values: number[];
}

export interface LinePoint {
  x: number;
  y: number;
}

export interface LineSeries {
  name: string;
  points: LinePoint[];
  /** Drawn dashed (e.g. validation curves). */
  dashed?: boolean;
  /** Colour slot 0..3 (CSS --series-N+1); defaults to the series index. */
  tone?: number;
}

/** Units per hidden layer after one epoch, as the trainer reports them. */
export interface UnitsAtEpoch {
  epoch: number;
  units: number[];
}

export interface GrowthEvent {
  epoch: number;
  layer: number;
  kind: 'generation' | 'annihilation' | 'layer';
  unitsBefore: number;
  unitsAfter: number;
}

export interface TableColumn<T> {
  key: string;
  header: string;
  /** Cell text. */
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** CSS width, e.g. "30%" or "6em". */
  width?: string;
  /** Cut long text at its start (paths: the file name at the end stays visible). */
  clipStart?: boolean;
}
