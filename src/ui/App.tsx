// Page layout: header with the status bar, error banner and notices; data, model and training on the left; the
// dashboard (loss, gates, gradient flow, predictions, metrics, preview, files, past runs) on the right.
import { GatePanel } from './charts/GatePanel';
import { GradientFlow } from './charts/GradientFlow';
import { LossChart } from './charts/LossChart';
import { PredictionPanel } from './charts/PredictionPanel';
import { toggleTheme } from './controller';
import { ErrorBanner } from './ErrorBanner';
import { DataPanel } from './panels/DataPanel';
import { DataPreview } from './panels/DataPreview';
import { EngineNotice } from './panels/EngineNotice';
import { ExportPanel } from './panels/ExportPanel';
import { MetricsTable } from './panels/MetricsTable';
import { ModelPanel } from './panels/ModelPanel';
import { StatusBar } from './panels/StatusBar';
import { TrainingPanel } from './panels/TrainingPanel';
import { ResumeOffer } from './ResumeOffer';
import { RunHistory } from './RunHistory';
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
          <DataPanel />
          <ModelPanel />
          <TrainingPanel />
        </div>
        <div className="main">
          <LossChart />
          <div className="pair">
            <PredictionPanel />
            <MetricsTable />
          </div>
          <GatePanel />
          <GradientFlow />
          <DataPreview />
          <ExportPanel />
          <RunHistory />
        </div>
      </main>
    </div>
  );
}
