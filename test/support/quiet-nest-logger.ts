import { Logger } from '@nestjs/common';

// Nest's static Logger prints to the console from code that runs outside a Nest app (a
// repository built by hand in a store test logs its background failures): keep test output
// clean. A test that asserts on logs passes its own logger (CapturingLogger) to the app,
// which replaces this; `TEST_LOG=1` keeps Nest's console output for debugging.
if (!process.env.TEST_LOG) Logger.overrideLogger(false);
