/**
 * Jest's default reporter, except that the console output of a test file is printed only when the file has a
 * failing test. A passing run then shows no ERROR/WARNING blocks: those are the validation reports and
 * annotations that gate tests provoke on purpose (they are asserted, not just printed). A failing file shows its
 * console output as before, where it helps.
 */
const { DefaultReporter } = require('@jest/reporters');

class QuietReporter extends DefaultReporter {
  printTestFileHeader(testPath, config, result) {
    const failed = result.numFailingTests > 0 || result.testExecError !== undefined;
    super.printTestFileHeader(testPath, config, failed ? result : { ...result, console: undefined });
  }
}

module.exports = QuietReporter;
