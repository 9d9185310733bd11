/**
 * Integrations register themselves with the engine when imported. Entry points (command line,
 * server, tests) import this module once.
 */
import './pinterest/register.js';
