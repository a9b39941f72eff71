// Entry point: styles, the document language, then the app.
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyLang, locale } from './lib/locale.svelte';

applyLang(locale.lang);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
