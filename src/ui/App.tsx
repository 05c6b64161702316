// Page layout: header, error banner, dataset and model panels, training controls, status and loss chart.
import { DatasetPanel } from './DatasetPanel';
import { ErrorBanner } from './ErrorBanner';
import { KnobsPanel } from './KnobsPanel';
import { LossChart } from './LossChart';
import { TrainingControls } from './TrainingControls';
import { TrainingStatus } from './TrainingStatus';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>LSTM Playground</h1>
        <p className="tagline">Drop in a CSV time series, press Train, watch an LSTM learn on your GPU, export it to PyTorch.</p>
      </header>
      <ErrorBanner />
      <main className="layout">
        <div className="side">
          <DatasetPanel />
          <KnobsPanel />
        </div>
        <div className="main">
          <section className="panel run" aria-label="Training">
            <TrainingControls />
            <TrainingStatus />
          </section>
          <LossChart />
        </div>
      </main>
    </div>
  );
}
