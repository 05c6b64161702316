// Dataset section: file picker and drop zone, target column, and a summary of the loaded series.
import { useState, type DragEvent } from 'react';
import { loadFile, selectColumn } from './controller';
import { useAppState } from './store';
import { formatStat } from './format';

export function DatasetPanel() {
  const dataset = useAppState((s) => s.dataset);
  const loading = useAppState((s) => s.loadingData);
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void loadFile(file);
  };
  const onDragOver = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  return (
    <section className="panel dataset" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading">Dataset</h2>
      <label
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="dataset-file-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void loadFile(file);
          }}
        />
        <span className="dropzone-text">
          {loading ? 'Reading…' : 'Drop a CSV time series here, or click to choose a file'}
        </span>
      </label>
      {dataset && (
        <>
          <label className="field">
            <span className="field-label">Target column</span>
            <select value={dataset.column} onChange={(e) => selectColumn(e.currentTarget.value)}>
              {dataset.columnChoices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <dl className="summary" data-testid="dataset-summary">
            <dt>Name</dt>
            <dd data-testid="dataset-name">{dataset.name}</dd>
            <dt>Rows</dt>
            <dd>{dataset.rowCount}</dd>
            <dt>Columns</dt>
            <dd>{dataset.columnCount}</dd>
            <dt>Target</dt>
            <dd>{dataset.column}</dd>
            <dt>Train windows</dt>
            <dd>{dataset.windows ? dataset.windows.train : '—'}</dd>
            <dt>Validation windows</dt>
            <dd>{dataset.windows ? dataset.windows.val : '—'}</dd>
            <dt title="Of the rows before the validation split; used to normalize">Mean (train rows)</dt>
            <dd>{formatStat(dataset.mean)}</dd>
            <dt title="Of the rows before the validation split; used to normalize">Std (train rows)</dt>
            <dd>{formatStat(dataset.std)}</dd>
          </dl>
          {dataset.problem && <p className="note">{dataset.problem}</p>}
        </>
      )}
    </section>
  );
}
