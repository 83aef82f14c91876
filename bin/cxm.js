#!/usr/bin/env node
import '../dist/cxm/main.js';
