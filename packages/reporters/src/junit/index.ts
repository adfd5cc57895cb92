export { renderJUnit } from './render.js';
export { JUnitReporter } from './junit-reporter.js';
