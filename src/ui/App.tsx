// Page layout: header with the status bar, error banner and notices; the run bar (pinned) over presets, data, model
// and training on the left; the dashboard (loss, the Tune search, gates, gradient flow, predictions, metrics, preview, files, past runs) on the right.
import { GatePanel } from './charts/GatePanel';
import { GradientFlow } from './charts/GradientFlow';
import { LossChart } from './charts/LossChart';
import { PredictionPanel } from './charts/PredictionPanel';
import { ControlsBar } from './ControlsBar';
import { toggleTheme } from './controller';
import { ErrorBanner } from './ErrorBanner';
import { ComparePanel } from './panels/ComparePanel';
import { DataPanel } from './panels/DataPanel';
import { DataPreview } from './panels/DataPreview';
import { EngineNotice } from './panels/EngineNotice';
import { ExportPanel } from './panels/ExportPanel';
import { MetricsTable } from './panels/MetricsTable';
import { ModelPanel } from './panels/ModelPanel';
import { PresetsPanel } from './panels/PresetsPanel';
import { StatusBar } from './panels/StatusBar';
import { TrainingPanel } from './panels/TrainingPanel';
import { TunePanel } from './panels/TunePanel';
import { WhyPanel } from './panels/WhyPanel';
import { ResumeOffer } from './ResumeOffer';
import { RunHistory } from './RunHistory';
import { SamplesPanel } from './panels/SamplesPanel';
import { useAppState } from './store';

function ThemeToggle() {
  const theme = useAppState((s) => s.theme);
  return (
    <button type="button" className="theme-toggle" data-testid="theme-toggle" onClick={toggleTheme} aria-pressed={theme === 'dark'} title="Switch between light and dark themes">
      {theme === 'dark' ? 'Light theme' : 'Dark theme'}
    </button>
  );
}

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="title">
          <h1>LSTM Playground</h1>
          <p className="tagline">Watch a recurrent network learn: loss, gates, gradients and predictions, live on your GPU.</p>
        </div>
        <ThemeToggle />
      </header>
      <StatusBar />
      <ErrorBanner />
      <EngineNotice />
      <ResumeOffer />
      <main className="layout">
        <div className="side">
          <ControlsBar />
          <PresetsPanel />
          <DataPanel />
          <ModelPanel />
          <TrainingPanel />
        </div>
        <div className="main">
          <LossChart />
          <TunePanel />
          <SamplesPanel />
          <div className="pair">
            <PredictionPanel />
            <MetricsTable />
          </div>
          <WhyPanel />
          <GatePanel />
          <GradientFlow />
          <DataPreview />
          <ExportPanel />
          <RunHistory />
          <ComparePanel />
        </div>
      </main>
    </div>
  );
}
