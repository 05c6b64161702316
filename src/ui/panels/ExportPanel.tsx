// Model files: export safetensors (+ model.json), ONNX, model.json, the PyTorch scripts; import a model back
// (validated in the worker); predict on a new CSV and download the predictions.
import { exportModel, importModelFiles, predictFile } from '../controller';
import { useAppState } from '../store';
import type { ExportFile } from '../../worker/protocol';

const BUTTONS: { file: ExportFile; testId: string; label: string; title: string }[] = [
  { file: 'safetensors', testId: 'export-safetensors', label: 'Export for PyTorch', title: 'Downloads model.safetensors and model.json' },
  { file: 'onnx', testId: 'export-onnx', label: 'ONNX', title: 'Downloads model.onnx (normalization inside the graph)' },
  { file: 'json', testId: 'export-json', label: 'model.json', title: 'Downloads model.json: config, data description, normalization, metrics' },
  { file: 'load-script', testId: 'export-load-script', label: 'load_in_pytorch.py', title: 'A few lines that rebuild the module, load the weights and predict' },
  { file: 'train-script', testId: 'export-train-script', label: 'train_pytorch.py', title: 'Continue training in PyTorch (torchrun-ready)' },
];

export function ExportPanel() {
  const exporting = useAppState((s) => s.exporting);
  const trained = useAppState((s) => s.training.history.length >= 1 || s.model?.source === 'imported');
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const model = useAppState((s) => s.model);
  const predictions = useAppState((s) => s.predictions);
  return (
    <section className="panel export" aria-labelledby="export-heading">
      <h2 id="export-heading">Model files</h2>
      <div className="controls">
        {BUTTONS.map((b) => (
          <button key={b.file} type="button" data-testid={b.testId} disabled={!trained || exporting !== null} onClick={() => exportModel(b.file)} title={b.title}>
            {exporting === b.file ? 'Exporting…' : b.label}
          </button>
        ))}
      </div>
      <div className="file-actions">
        <label className="file-button">
          Import model (model.safetensors + model.json)
          <input
            type="file"
            multiple
            accept=".safetensors,.json,application/json"
            data-testid="import-model-input"
            disabled={busy}
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              if (files.length > 0) void importModelFiles(files);
            }}
          />
        </label>
        <label className="file-button">
          Predict on a CSV
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="predict-file-input"
            disabled={!trained}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) predictFile(file);
            }}
          />
        </label>
      </div>
      {model && (
        <p className="hint" data-testid="model-info" data-source={model.source} data-trainable={String(model.trainable)}>
          {model.source === 'imported' ? 'Imported model' : 'Trained model'}: {model.config.cell.toUpperCase()} {model.config.numLayers} × {model.config.hiddenSize}
          {model.config.bidirectional ? ' bidirectional' : ''} · {model.description}
        </p>
      )}
      {predictions && (
        <p className="hint" data-testid="predictions-info">
          Predicted {predictions.rows} inputs of {predictions.name} (downloaded as CSV). {predictions.notes.join(' ')}
        </p>
      )}
    </section>
  );
}
