// htm bound to preact's h: JSX-like templates as tagged strings, no build step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
