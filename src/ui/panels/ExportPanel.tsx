// Model files: export safetensors (+ model.json), ONNX, TF.js, Keras, model.json, the PyTorch scripts, each with where
// it loads; import a model back (ours, a .keras file or a TF.js layers model; validated in the worker); predict on a CSV.
import { exportModel, importModelFiles, predictFile } from '../controller';
import { useAppState } from '../store';
import type { ExportFile } from '../../worker/protocol';

/** Every export format, each with the one line on where it loads (the checked runtimes are listed in the README). */
const BUTTONS: { file: ExportFile; testId: string; label: string; title: string; loads: string }[] = [
  { file: 'safetensors', testId: 'export-safetensors', label: 'Export for PyTorch', title: 'Downloads model.safetensors and model.json', loads: 'PyTorch: load_in_pytorch.py rebuilds the module and loads these weights (safetensors.torch.load_file).' },
  { file: 'onnx', testId: 'export-onnx', label: 'ONNX', title: 'Downloads model.onnx (normalization inside the graph)', loads: 'ONNX Runtime (Python, Node, web) and any ONNX opset-17 runtime: raw values in, original units out.' },
  { file: 'tfjs', testId: 'export-tfjs', label: 'TF.js', title: 'Downloads tfjs-model.json and group1-shard1of1.bin (LSTM and RNN; TF.js has no PyTorch-style GRU)', loads: 'TensorFlow.js in the browser or Node: tf.loadLayersModel on tfjs-model.json next to its .bin; raw values in, original units out.' },
  { file: 'keras', testId: 'export-keras', label: 'Keras', title: 'Downloads model.keras (Keras 3: config.json, metadata.json, model.weights.h5)', loads: 'Keras 3 (TensorFlow, JAX or PyTorch backend): keras.saving.load_model("model.keras"); raw values in, original units out.' },
  { file: 'json', testId: 'export-json', label: 'model.json', title: 'Downloads model.json: config, data description, normalization, metrics', loads: 'Any JSON reader: the config, the data description and normalization, the metrics.' },
  { file: 'load-script', testId: 'export-load-script', label: 'load_in_pytorch.py', title: 'A few lines that rebuild the module, load the weights and predict', loads: 'python load_in_pytorch.py next to model.safetensors and model.json (PyTorch).' },
  { file: 'train-script', testId: 'export-train-script', label: 'train_pytorch.py', title: 'Continue training in PyTorch (torchrun-ready)', loads: 'python train_pytorch.py data.csv (or torchrun) to keep training in PyTorch.' },
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
      <ul className="export-formats">
        {BUTTONS.map((b) => (
          <li key={b.file}>
            <button type="button" data-testid={b.testId} disabled={!trained || exporting !== null} onClick={() => exportModel(b.file)} title={b.title}>
              {exporting === b.file ? 'Exporting…' : b.label}
            </button>
            <span className="hint" data-testid={`${b.testId}-loads`}>{b.loads}</span>
          </li>
        ))}
      </ul>
      <div className="file-actions">
        <label className="file-button">
          Import model (model.safetensors + model.json, a .keras file, or a TF.js model.json + .bin)
          <input
            type="file"
            multiple
            accept=".safetensors,.json,application/json,.keras,.bin"
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
