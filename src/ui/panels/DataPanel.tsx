// Data panel: one-click examples, the CSV file input with a progress bar, what was loaded, and the data choices.
import { useState, type DragEvent } from 'react';
import { EXAMPLES } from '../../data/examples/index';
import { loadExample, loadFile } from '../controller';
import { useAppState } from '../store';
import { DataChoices } from './DataChoices';
import { SetSummaryView } from './SetSummaryView';

function ProgressBar() {
  const p = useAppState((s) => s.dataProgress);
  const loading = useAppState((s) => s.loadingData);
  if (!loading) return null;
  const total = p?.totalBytes ?? null;
  const value = p && total ? Math.min(1, p.bytesRead / total) : null;
  return (
    <div className="load-progress" data-testid="data-progress">
      <progress max={1} value={value ?? undefined} aria-label="Reading the file" />
      <span>{p ? `${p.name}: ${p.rowsRead.toLocaleString()} rows read` : 'Loading…'}</span>
    </div>
  );
}

export function DataPanel() {
  const data = useAppState((s) => s.data);
  const loading = useAppState((s) => s.loadingData);
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) loadFile(file);
  };
  const onDragOver = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  return (
    <section className="panel dataset" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading">Data</h2>
      <div className="examples" role="group" aria-label="Built-in examples">
        {EXAMPLES.map((ex) => (
          <button key={ex.id} type="button" data-testid={`example-${ex.id}`} title={ex.description} disabled={loading || busy} onClick={() => loadExample(ex.id)} aria-pressed={data?.example === ex.id}>
            {ex.label}
          </button>
        ))}
      </div>
      <label className={dragging ? 'dropzone dragging' : 'dropzone'} onDragOver={onDragOver} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          data-testid="dataset-file-input"
          aria-label="Choose a CSV file"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) loadFile(file);
          }}
        />
        <span className="dropzone-text">{loading ? 'Reading…' : 'Drop a CSV here, or click to choose a file'}</span>
      </label>
      <ProgressBar />
      {data && (
        <>
          <dl className="summary" data-testid="dataset-summary">
            <dt>Name</dt>
            <dd data-testid="dataset-name">{data.name}</dd>
            <dt>Rows</dt>
            <dd>{data.rows}</dd>
            <dt>Columns</dt>
            <dd>{data.columns.length}</dd>
            <dt>Shape</dt>
            <dd title={data.reason}>{data.shape}</dd>
            <dt>Target</dt>
            <dd data-testid="dataset-target">{data.set?.targets?.join(', ') ?? (data.choices && 'labelColumn' in data.choices ? data.choices.labelColumn : '—')}</dd>
          </dl>
          <DataChoices />
          <SetSummaryView />
        </>
      )}
    </section>
  );
}
