// The plotly.js our reports need: the core (which always holds `scatter`) plus the trace
// types they draw. Adding a trace type to a report means adding it here and rebuilding.
'use strict';
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
