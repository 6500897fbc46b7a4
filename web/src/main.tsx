import { render } from 'preact';
import { setLanguage } from './i18n/index.ts';
import { App } from './ui/App.tsx';
import './styles.css';

setLanguage(navigator.language.slice(0, 2));
render(<App />, document.getElementById('app')!);

// The service worker keeps the app shell and the basemap for offline use (see scripts/build-web.ts).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
