// Page layout: header, error banner, resume offer, dataset and model panels, training controls, status, loss chart, past runs.
import { DatasetPanel } from './DatasetPanel';
import { ErrorBanner } from './ErrorBanner';
import { KnobsPanel } from './KnobsPanel';
import { LossChart } from './LossChart';
import { ResumeOffer } from './ResumeOffer';
import { RunHistory } from './RunHistory';
import { SessionControls } from './SessionControls';
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
      <ResumeOffer />
      <main className="layout">
        <div className="side">
          <DatasetPanel />
          <KnobsPanel />
        </div>
        <div className="main">
          <section className="panel run" aria-label="Training">
            <TrainingControls />
            <SessionControls />
            <TrainingStatus />
          </section>
          <LossChart />
          <RunHistory />
        </div>
      </main>
    </div>
  );
}
