// Entry point: styles, the document language, then the app.
// The launch's steps, read by the end-to-end harness's app_bench (performance marks).
performance.mark('script');
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyLang, locale } from './lib/locale.svelte';

applyLang(locale.lang);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target });
performance.mark('mounted');
export default app;
