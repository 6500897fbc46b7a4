import { render } from 'preact';
import { setLanguage, startLanguage } from './i18n/index.ts';
import { App } from './ui/App.tsx';
import './styles.css';

setLanguage(startLanguage());
render(<App />, document.getElementById('app')!);

// The service worker keeps the app shell and the basemap for offline use (see scripts/build-web.ts).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
