import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The base styles first: a feature's own css (imported by its components) comes after and may refine them.
import './styles.css';
import { App } from './App';
import { registerServiceWorker } from './lib/pwa';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
registerServiceWorker();
