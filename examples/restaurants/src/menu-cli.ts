#!/usr/bin/env node
// `restaurant-menu "<name>" [--url http://...]` — prints a restaurant's dishes.
import { runMenuCli } from './menu.js';

process.exitCode = await runMenuCli(process.argv.slice(2));
